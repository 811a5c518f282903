import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatCardHarness } from '@angular/material/card/testing';
import type { IncomingCallInfo } from '@switchboard/shared-voice-model';
import { IncomingCallCard } from './incoming-call-card';

const call: IncomingCallInfo = {
  callId: 'c1',
  callSid: 'CA1',
  from: '+14155550100',
  to: 'client:alice',
  customParameters: { queue: 'billing', ticket: '4711' },
  isCallerVerified: null,
};

describe('IncomingCallCard', () => {
  async function setup(waiting = false) {
    const fixture = TestBed.createComponent(IncomingCallCard);
    fixture.componentRef.setInput('call', call);
    fixture.componentRef.setInput('isCallWaiting', waiting);
    const events: string[] = [];
    fixture.componentInstance.accepted.subscribe(() => events.push('accept'));
    fixture.componentInstance.declined.subscribe(() => events.push('decline'));
    fixture.componentInstance.ignored.subscribe(() => events.push('ignore'));
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture), events };
  }

  it('shows the caller and their custom parameters, and reports each choice', async () => {
    const { fixture, loader, events } = await setup();
    const card = await loader.getHarness(MatCardHarness);
    expect(await card.getTitleText()).toBe('Incoming call');
    expect(await card.getSubtitleText()).toContain('+14155550100');
    const text = (fixture.nativeElement as HTMLElement).querySelector('[data-testid=incoming-parameters]')?.textContent;
    expect(text).toContain('queue');
    expect(text).toContain('billing');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=accept-button]' }))).click();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=decline-button]' }))).click();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=ignore-button]' }))).click();
    expect(events).toEqual(['accept', 'decline', 'ignore']);
  });

  it('becomes a call-waiting card and names a known caller', async () => {
    const { fixture, loader } = await setup(true);
    fixture.componentRef.setInput('call', { ...call, from: 'client:bob' });
    fixture.componentRef.setInput('callerName', 'Bob Brown');
    const card = await loader.getHarness(MatCardHarness);
    expect(await card.getTitleText()).toBe('Call waiting');
    expect(await card.getSubtitleText()).toContain('Bob Brown (bob)');
    const accept = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=accept-button]' }));
    expect(await (await accept.host()).getAttribute('aria-keyshortcuts')).toBe('Alt+A');
  });

  it('locks the buttons while answering', async () => {
    const { fixture, loader } = await setup();
    fixture.componentRef.setInput('isAccepting', true);
    const accept = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=accept-button]' }));
    expect(await accept.isDisabled()).toBe(true);
    expect(await accept.getText()).toContain('Answering…');
  });
});
