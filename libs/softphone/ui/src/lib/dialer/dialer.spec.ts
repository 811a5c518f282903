import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatAutocompleteHarness } from '@angular/material/autocomplete/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { Dialer } from './dialer';
import { type DialTarget, resolveDialTarget } from './dial-target';

const agents: AgentDirectoryEntry[] = [
  { identity: 'alice', displayName: 'Alice Adams' },
  { identity: 'bob', displayName: 'Bob Brown' },
];

describe('resolveDialTarget', () => {
  it('finds agents by identity, name or client: prefix, and numbers as E.164', () => {
    expect(resolveDialTarget('Bob Brown', agents)).toMatchObject({ ok: true, target: { kind: 'agent', identity: 'bob' } });
    expect(resolveDialTarget('client:alice', agents)).toMatchObject({ ok: true, target: { kind: 'agent', identity: 'alice' } });
    expect(resolveDialTarget('+44 20 7946 0000', agents)).toMatchObject({ ok: true, target: { kind: 'number', e164: '+442079460000' } });
    expect(resolveDialTarget('+1 234', agents)).toEqual({ ok: false, reason: 'invalid' });
    expect(resolveDialTarget('   ', agents)).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('Dialer', () => {
  async function setup(blockedReason: string | null = null) {
    const fixture = TestBed.createComponent(Dialer);
    fixture.componentRef.setInput('agents', agents);
    fixture.componentRef.setInput('blockedReason', blockedReason);
    const dialed: DialTarget[] = [];
    fixture.componentInstance.dialed.subscribe((target) => dialed.push(target));
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const input = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=dial-input]' }));
    const call = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=call-button]' }));
    return { fixture, loader, input, call, dialed };
  }

  it('formats the number as it is typed and calls the E.164 form', async () => {
    const { input, call, dialed } = await setup();
    // Key by key, as a person types (the harness's setValue would overwrite the formatted text at the end).
    await (await input.host()).sendKeys('+14155550100');
    expect(await input.getValue()).toBe('+1 415 555 0100');
    expect(await call.isDisabled()).toBe(false);
    await call.click();
    expect(dialed).toEqual([{ kind: 'number', e164: '+14155550100', display: '+1 415 555 0100' }]);
  });

  it('keeps the call button off and explains an invalid number', async () => {
    const { fixture, input, call, dialed } = await setup();
    await input.setValue('+1 234 567 89');
    expect(await call.isDisabled()).toBe(true);
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid=dial-error]')?.textContent).toContain('international format');
    expect(dialed).toEqual([]);
  });

  it('offers agents from the directory and calls the chosen one', async () => {
    const { loader, call, dialed } = await setup();
    const autocomplete = await loader.getHarness(MatAutocompleteHarness);
    await autocomplete.enterText('bo');
    const options = await autocomplete.getOptions();
    expect(options.length).toBe(1);
    expect(await options[0].getText()).toContain('Bob Brown');
    await options[0].click();
    await call.click();
    expect(dialed).toEqual([{ kind: 'agent', identity: 'bob', displayName: 'Bob Brown' }]);
  });

  it('types digits from the dial pad', async () => {
    const { loader, input } = await setup();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=dial-pad-toggle]' }))).click();
    for (const key of ['0', '0', '4', '4']) {
      await (await loader.getHarness(MatButtonHarness.with({ selector: `[data-testid=keypad-key-${key}]` }))).click();
    }
    expect((await input.getValue()).replace(/\s/g, '')).toBe('+44');
  });

  it('disables calling with guidance when the phone cannot call', async () => {
    const { fixture, input, call, dialed } = await setup('Allow the microphone to place calls.');
    await input.setValue('+14155550100');
    expect(await call.isDisabled()).toBe(true);
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid=dial-guidance]')?.textContent).toContain(
      'Allow the microphone',
    );
    expect(dialed).toEqual([]);
  });
});
