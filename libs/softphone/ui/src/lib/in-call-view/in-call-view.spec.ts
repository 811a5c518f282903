import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { QUALITY_WARNING_TEXT } from '@switchboard/shared-voice-model';
import { InCallView } from './in-call-view';

describe('InCallView', () => {
  async function setup() {
    const fixture = TestBed.createComponent(InCallView);
    fixture.componentRef.setInput('phase', 'open');
    fixture.componentRef.setInput('remote', 'Bob Brown');
    fixture.componentRef.setInput('connectedAt', Date.now() - 65_000);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement, loader: TestbedHarnessEnvironment.loader(fixture) };
  }

  it('shows who and for how long', async () => {
    const { fixture, element } = await setup();
    expect(element.querySelector('[data-testid=call-remote]')?.textContent).toBe('Bob Brown');
    expect(element.querySelector('[data-testid=call-timer]')?.textContent).toMatch(/^1:0[56]$/);
    fixture.destroy();
  });

  it('reads the name and the identity as two words, on screen and in the heading a screen reader announces', async () => {
    const { fixture, element } = await setup();
    fixture.componentRef.setInput('remoteDetail', 'bob');
    await fixture.whenStable();
    expect(element.querySelector('#sb-call-heading')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Bob Brown bob');
    fixture.destroy();
  });

  it('an outgoing call still ringing (also an anchored call whose number has not answered): Ringing, no timer, no mute', async () => {
    const { fixture, element } = await setup();
    fixture.componentRef.setInput('phase', 'ringing');
    fixture.componentRef.setInput('remote', '+1 415 555 0111');
    fixture.componentRef.setInput('connectedAt', null);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=call-phase]')?.textContent).toBe('Outgoing · Ringing…');
    expect(element.querySelector('[data-testid=call-timer]')?.textContent ?? '').toBe('');
    expect(element.querySelector<HTMLButtonElement>('[data-testid=mute-button]')?.disabled).toBe(true);
    expect(element.querySelector<HTMLButtonElement>('[data-testid=hang-up-button]')?.disabled).toBe(false);
    fixture.destroy();
  });

  it('shows a reconnecting banner with the seconds elapsed', async () => {
    const { fixture, element } = await setup();
    fixture.componentRef.setInput('phase', 'reconnecting');
    fixture.componentRef.setInput('reconnectingSince', Date.now() - 12_000);
    await fixture.whenStable();
    const banner = element.querySelector('[data-testid=reconnecting-banner]');
    expect(banner?.textContent).toMatch(/Reconnecting… \(1[23] s\)/);
    fixture.componentRef.setInput('phase', 'open');
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=reconnecting-banner]')).toBeNull();
    fixture.destroy();
  });

  it('shows the quality level, each warning with its remediation, and the latest figures', async () => {
    const { fixture, element } = await setup();
    fixture.componentRef.setInput('warnings', ['high-jitter', 'constant-audio-input-level']);
    fixture.componentRef.setInput('latestSample', { timestamp: 1, mos: 3.4, rtt: 120, jitter: 45, packetLossPercent: 0.5 });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=quality-indicator]')?.getAttribute('data-level')).toBe('fair');
    const remediation = Array.from(element.querySelectorAll('[data-testid=remediation-text]')).map((e) => e.textContent);
    expect(remediation).toEqual([QUALITY_WARNING_TEXT['high-jitter'].remediation, QUALITY_WARNING_TEXT['constant-audio-input-level'].remediation]);
    expect(element.querySelector('[data-testid=quality-mos]')?.textContent).toBe('3.4');
    expect(element.querySelector('[data-testid=quality-jitter]')?.textContent).toBe('45 ms');

    fixture.componentRef.setInput('warnings', ['high-packet-loss']);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=quality-indicator]')?.getAttribute('data-level')).toBe('poor');
    fixture.destroy();
  });

  it('opens the keypad and sends the pressed digits', async () => {
    const { fixture, loader } = await setup();
    const digits: string[] = [];
    fixture.componentInstance.digitPressed.subscribe((d) => digits.push(d));
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=keypad-toggle]' }))).click();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=keypad-key-hash]' }))).click();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=keypad-key-5]' }))).click();
    expect(digits).toEqual(['#', '5']);
    fixture.destroy();
  });
});
