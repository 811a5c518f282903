import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatAutocompleteHarness } from '@angular/material/autocomplete/testing';
import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { DialerHarness } from '../testing/softphone-harnesses';
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
    const dialer = await TestbedHarnessEnvironment.harnessForFixture(fixture, DialerHarness);
    return { loader, dialer, dialed };
  }

  it('formats the number as it is typed and calls the E.164 form', async () => {
    const { dialer, dialed } = await setup();
    await dialer.typeNumber('+14155550100');
    expect(await dialer.getNumber()).toBe('+1 415 555 0100');
    expect(await dialer.getError()).toBeNull();
    expect(await dialer.isCallEnabled()).toBe(true);
    await dialer.call();
    expect(dialed).toEqual([{ kind: 'number', e164: '+14155550100', display: '+1 415 555 0100' }]);
  });

  it('keeps the call button off and explains an invalid number', async () => {
    const { dialer, dialed } = await setup();
    await dialer.typeNumber('+1 234 567 89');
    expect(await dialer.isCallEnabled()).toBe(false);
    expect(await dialer.getError()).toContain('international format');
    expect(dialed).toEqual([]);
  });

  it('offers agents from the directory and calls the chosen one', async () => {
    const { loader, dialer, dialed } = await setup();
    const autocomplete = await loader.getHarness(MatAutocompleteHarness);
    await autocomplete.enterText('bo');
    const options = await autocomplete.getOptions();
    expect(options.length).toBe(1);
    expect(await options[0].getText()).toContain('Bob Brown');
    await options[0].click();
    await dialer.call();
    expect(dialed).toEqual([{ kind: 'agent', identity: 'bob', displayName: 'Bob Brown' }]);
  });

  it('types digits from the dial pad', async () => {
    const { dialer } = await setup();
    expect(await dialer.isDialPadOpen()).toBe(false);
    await dialer.toggleDialPad();
    expect(await dialer.isDialPadOpen()).toBe(true);
    for (const key of ['0', '0', '4', '4']) await dialer.pressKey(key);
    expect((await dialer.getNumber()).replace(/\s/g, '')).toBe('+44');
  });

  it('disables calling with guidance when the phone cannot call', async () => {
    const { dialer, dialed } = await setup('Allow the microphone to place calls.');
    await dialer.typeNumber('+14155550100');
    expect(await dialer.isCallEnabled()).toBe(false);
    expect(await dialer.getGuidance()).toContain('Allow the microphone');
    expect(dialed).toEqual([]);
  });

  it('shows no guidance while the phone can call', async () => {
    const { dialer } = await setup();
    expect(await dialer.getGuidance()).toBeNull();
  });
});
