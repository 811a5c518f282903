import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import type { IncomingCallInfo } from '@switchboard/shared-voice-model';
import { IncomingCallCardHarness } from '../testing/softphone-harnesses';
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
  function setup(waiting = false) {
    const fixture = TestBed.createComponent(IncomingCallCard);
    fixture.componentRef.setInput('call', call);
    fixture.componentRef.setInput('isCallWaiting', waiting);
    const events: string[] = [];
    fixture.componentInstance.accepted.subscribe(() => events.push('accept'));
    fixture.componentInstance.declined.subscribe(() => events.push('decline'));
    fixture.componentInstance.ignored.subscribe(() => events.push('ignore'));
    return { fixture, card: TestbedHarnessEnvironment.harnessForFixture(fixture, IncomingCallCardHarness), events };
  }

  it('shows the caller and their custom parameters, and reports each choice', async () => {
    const { card: loading, events } = setup();
    const card = await loading;
    expect(await card.getHeading()).toBe('Incoming call');
    expect(await card.getCaller()).toBe('+1 415 555 0100');
    expect(await card.isCallWaiting()).toBe(false);
    expect(await card.getParameters()).toEqual({ queue: 'billing', ticket: '4711' });
    await card.accept();
    await card.decline();
    await card.ignore();
    expect(events).toEqual(['accept', 'decline', 'ignore']);
  });

  it('becomes a call-waiting card and names a known caller', async () => {
    const { fixture, card: loading } = setup(true);
    fixture.componentRef.setInput('call', { ...call, from: 'client:bob' });
    fixture.componentRef.setInput('caller', { name: 'Bob Brown', detail: 'bob' });
    const card = await loading;
    expect(await card.getHeading()).toBe('Call waiting');
    expect(await card.isCallWaiting()).toBe(true);
    expect(await card.getCaller()).toContain('Bob Brown (bob)');
  });

  it('locks the buttons while answering', async () => {
    const { fixture, card: loading } = setup();
    const card = await loading;
    expect(await card.isLocked()).toBe(false);
    fixture.componentRef.setInput('isAccepting', true);
    expect(await card.isLocked()).toBe(true);
    expect(await card.getAcceptText()).toContain('Answering…');
  });
});
