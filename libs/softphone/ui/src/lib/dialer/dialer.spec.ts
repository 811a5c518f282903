import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
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
  async function setup(blockedReason: string | null = null, defaultCountry: string | undefined = undefined) {
    const fixture = TestBed.createComponent(Dialer);
    fixture.componentRef.setInput('agents', agents);
    fixture.componentRef.setInput('defaultCountry', defaultCountry);
    fixture.componentRef.setInput('blockedReason', blockedReason);
    const dialed: DialTarget[] = [];
    fixture.componentInstance.dialed.subscribe((target) => dialed.push(target));
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const dialer = await TestbedHarnessEnvironment.harnessForFixture(fixture, DialerHarness);
    return { fixture, loader, dialer, dialed };
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

  it('calls an agent typed by name when Enter is pressed in the field', async () => {
    const { fixture, dialer, dialed } = await setup();
    await dialer.typeNumber('Bob Brown');
    await pressEnter(fixture);
    expect(dialed).toEqual([{ kind: 'agent', identity: 'bob', displayName: 'Bob Brown' }]);
  });

  it('calls the one suggested agent on Enter, and nobody while the suggestions are ambiguous', async () => {
    const { fixture, dialer, dialed } = await setup();
    await dialer.typeNumber('Bo');
    expect(await dialer.isCallEnabled()).toBe(true);
    await pressEnter(fixture);
    expect(dialed).toEqual([{ kind: 'agent', identity: 'bob', displayName: 'Bob Brown' }]);
    fixture.componentRef.setInput('agents', [...agents, { identity: 'bonnie', displayName: 'Bonnie Bell' }]);
    await dialer.typeNumber('Bo');
    expect(await dialer.isCallEnabled()).toBe(false);
    await pressEnter(fixture);
    expect(dialed.length).toBe(1);
  });

  it('reads a national number in the agent’s country, typed or pasted', async () => {
    const { fixture, dialer, dialed } = await setup(null, 'US');
    await dialer.typeNumber('4155550100');
    expect(await dialer.getNumber()).toBe('(415) 555-0100');
    expect(await dialer.isCallEnabled()).toBe(true);
    await dialer.clearNumber();
    paste(fixture, '(415) 555-0100');
    expect(await dialer.getNumber()).toBe('(415) 555-0100');
    await dialer.call();
    expect(dialed).toEqual([
      { kind: 'number', e164: '+14155550100', display: '+1 415 555 0100' },
    ]);
  });

  it.each([
    ['+1 415-555-0100 ext', '+1 415 555 0100'],
    ['+1 (415) 555-0100 x 12', '+1 415 555 0100'],
    ['Phone: +44 20 7946 0000\n', '+44 20 7946 0000'],
    ['tel:+14155550100', '+1 415 555 0100'],
  ])('paste works like typing: %j dials %s', async (clipboard, shown) => {
    const { fixture, dialer, dialed } = await setup(null, 'US');
    paste(fixture, clipboard);
    expect(await dialer.getNumber()).toBe(shown);
    await dialer.call();
    expect(dialed).toHaveLength(1);
  });

  it('pastes a name as it is', async () => {
    const { fixture, dialer, dialed } = await setup(null, 'US');
    paste(fixture, 'Alice Adams');
    expect(await dialer.getNumber()).toBe('Alice Adams');
    await dialer.call();
    expect(dialed).toEqual([{ kind: 'agent', identity: 'alice', displayName: 'Alice Adams' }]);
  });
});

/** Enter in a form's only text field submits it (implicit submission), unless a handler took the key. */
async function pressEnter(fixture: ComponentFixture<Dialer>): Promise<void> {
  const input = dialInput(fixture);
  const keydown = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 13, bubbles: true, cancelable: true } as KeyboardEventInit);
  input.dispatchEvent(keydown);
  if (!keydown.defaultPrevented) input.form?.requestSubmit();
  await fixture.whenStable();
}

/** What the browser does on paste: a cancellable event, then (if nobody cancelled it) the text at the caret. */
function paste(fixture: ComponentFixture<Dialer>, text: string): void {
  const input = dialInput(fixture);
  const event = new Event('paste', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'clipboardData', { value: { getData: (type: string) => (type.startsWith('text') ? text : '') } });
  input.dispatchEvent(event);
  if (event.defaultPrevented) return;
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  input.value = input.value.slice(0, start) + text.replace(/[\r\n]+/g, ' ') + input.value.slice(end);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function dialInput(fixture: ComponentFixture<Dialer>): HTMLInputElement {
  const input = (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>('[data-testid=dial-input]');
  if (!input) throw new Error('The dialer has no input');
  return input;
}
