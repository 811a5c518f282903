import type { Action } from '@ngrx/store';
import type { CallFarEndEvent, CallParticipant, FarEndStatus } from '@switchboard/shared-contracts';
import { voiceRootState } from '../../testing';
import type { CallEntry } from '../call/call.feature';
import { CallControlLiveEvents } from '../call-control/call-control.actions';
import { selectCallControlView } from '../call-control/call-control.selectors';
import { SessionEvents } from '../session.actions';
import { selectSoftphoneViewModel } from '../softphone.selectors';
import { play } from '../testing-support/spec-helpers';
import { farEndFeature, initialFarEndState, type FarEndState } from './far-end.feature';

const SID = 'CA' + '1'.repeat(32);
const OTHER = 'CA' + '2'.repeat(32);
const run = (...actions: Action[]): FarEndState => play(farEndFeature.reducer, ...actions);
const farEnd = (state: FarEndStatus, at = 0, callSid = SID) =>
  CallControlLiveEvents.farEndChanged({ event: { callSid, state } satisfies CallFarEndEvent, at });

/** The agent's anchored phone call: the conference answered their SDK call at 10. */
const call = (patch: Partial<CallEntry> = {}): CallEntry =>
  ({
    callId: 'c1', direction: 'outgoing', phase: 'open', remote: '+14155550111', callSid: SID, customParameters: {},
    isCallerVerified: null, isMuted: false, isWaiting: false, hasEarlyMedia: true, startedAt: 0, connectedAt: 10,
    reconnectingSince: null, endedAt: null, endedByAgent: false, lastError: null, outcome: null, messages: [], ...patch,
  }) as CallEntry;

const customer: CallParticipant = {
  participantId: 'CA-customer', displayName: '+1 ••• ••• 0111', identity: null, maskedNumber: '+1 ••• ••• 0111',
  role: 'customer', held: false, muted: false, joinedAt: '2026-12-06T09:00:00.000Z',
};

const vmWith = (entry: CallEntry, far: Partial<FarEndState> | null, participants: readonly CallParticipant[] = []) =>
  selectSoftphoneViewModel(
    voiceRootState({
      connection: { phase: 'registered', identity: 'bob' },
      audioDevices: { permission: 'granted' },
      call: { calls: { [entry.callId]: entry }, order: [entry.callId] },
      callControl: { callSid: SID, callId: 'c1', participants },
      ...(far ? { farEnd: far } : {}),
    }),
  );

describe('farEnd reducer', () => {
  it('records the ringing, then the answer with the time it was heard of', () => {
    expect(run(farEnd('ringing', 5))).toEqual({ callSid: SID, status: 'ringing', answeredAt: null });
    expect(run(farEnd('ringing', 5), farEnd('answered', 42))).toEqual({ callSid: SID, status: 'answered', answeredAt: 42 });
  });

  it('an answer or a miss is final: a late ringing or a repeat changes nothing', () => {
    expect(run(farEnd('ringing'), farEnd('answered', 42), farEnd('ringing', 50), farEnd('answered', 60))).toEqual({ callSid: SID, status: 'answered', answeredAt: 42 });
    expect(run(farEnd('ringing'), farEnd('busy', 7), farEnd('ringing', 8))).toEqual({ callSid: SID, status: 'busy', answeredAt: null });
  });

  it("the next call's event replaces the last call's; sign-out forgets it", () => {
    expect(run(farEnd('no-answer'), farEnd('ringing', 3, OTHER))).toEqual({ callSid: OTHER, status: 'ringing', answeredAt: null });
    expect(run(farEnd('ringing'), SessionEvents.signedOut())).toEqual(initialFarEndState);
  });
});

describe('the softphone view of an anchored phone call', () => {
  it('while the number rings: shown ringing (no timer, no mute or keypad) though the SDK call is open', () => {
    expect(vmWith(call(), { callSid: SID, status: 'ringing' }).activeCall).toMatchObject({ phase: 'ringing', connectedAt: null, canControl: false });
  });

  it('once it answers: on call, the timer from the answer', () => {
    expect(vmWith(call(), { callSid: SID, status: 'answered', answeredAt: 42 }).activeCall).toMatchObject({ phase: 'open', connectedAt: 42, canControl: true });
  });

  it('a lost answer event heals from the participants: the customer joined, so it answered (timer from the join)', () => {
    expect(vmWith(call(), { callSid: SID, status: 'ringing' }, [customer]).activeCall).toMatchObject({
      phase: 'open', connectedAt: Date.parse(customer.joinedAt),
    });
  });

  it('missed while the agent hears why: still not shown as connected', () => {
    expect(vmWith(call(), { callSid: SID, status: 'no-answer' }).activeCall).toMatchObject({ phase: 'ringing', connectedAt: null });
  });

  it('no far-end event (old API, live channel down, direct call): the SDK view as before', () => {
    expect(vmWith(call(), null).activeCall).toMatchObject({ phase: 'open', connectedAt: 10, canControl: true });
    // An event about another call, or an incoming call, changes nothing either.
    expect(vmWith(call(), { callSid: OTHER, status: 'ringing' }).activeCall).toMatchObject({ phase: 'open', connectedAt: 10 });
    expect(vmWith(call({ direction: 'incoming' }), { callSid: SID, status: 'ringing' }).activeCall).toMatchObject({ phase: 'open' });
  });

  it('a store without the slice (other libraries\' tests) shows calls as before', () => {
    const withoutSlice: Record<string, unknown> = { ...voiceRootState({ call: { calls: { c1: call() }, order: ['c1'] } }) };
    delete withoutSlice['farEnd'];
    expect(selectSoftphoneViewModel(withoutSlice as never).activeCall).toMatchObject({ phase: 'open', connectedAt: 10 });
  });
});

describe('the ended call of an anchored phone call', () => {
  const ended = (patch: Partial<CallEntry> = {}) => call({ phase: 'closed', endedAt: 20, outcome: { kind: 'completed' }, ...patch });

  it.each([
    ['no-answer', 'no-answer', 'No answer'],
    ['busy', 'busy', 'Line busy'],
    ['failed', 'failed', 'Call failed: The call could not be connected.'],
  ] as const)('the number ended %s: the outcome says so, as for a direct call', (status, kind, text) => {
    expect(vmWith(ended(), { callSid: SID, status }).endedCall).toMatchObject({ outcome: { kind }, outcomeText: text });
  });

  it('a failed number gives the next step', () => {
    expect(vmWith(ended(), { callSid: SID, status: 'failed' }).endedCall?.guidance).toBe('Check the number and try again; it may be out of service.');
  });

  it('answered, still ringing when it ended, or no event: the SDK outcome stays (an ordinary hang-up)', () => {
    for (const far of [{ callSid: SID, status: 'answered' as const, answeredAt: 12 }, { callSid: SID, status: 'ringing' as const }, null]) {
      expect(vmWith(ended(), far).endedCall).toMatchObject({ outcome: { kind: 'completed' }, outcomeText: 'Call ended' });
    }
  });

  it('an outcome the SDK explained (an error) is not replaced', () => {
    const error = { code: 31005, name: 'ConnectionError', category: 'signaling' as const, message: 'Lost.', nextStep: 'Retry.', isRetriedAutomatically: false };
    expect(vmWith(ended({ outcome: { kind: 'failed', error } }), { callSid: SID, status: 'busy' }).endedCall?.outcome).toEqual({ kind: 'failed', error });
  });
});

describe('the call-control bar of an anchored phone call', () => {
  const agent: CallParticipant = { ...customer, participantId: 'CA-agent', displayName: 'Bob', identity: 'bob', maskedNumber: null, role: 'agent' };
  const bar = (far: Partial<FarEndState> | null, participants: readonly CallParticipant[]) =>
    selectCallControlView(
      voiceRootState({
        callControl: { phase: 'idle-in-call', callSid: SID, callId: 'c1', controllable: true, participants },
        ...(far ? { farEnd: far } : {}),
      }),
    );

  it('while the number rings there is no one to hold or transfer: hidden, as for a ringing direct call', () => {
    expect(bar({ callSid: SID, status: 'ringing' }, [agent])).toMatchObject({ visible: false, canHold: false, canTransfer: false });
  });

  it('answered, the customer listed (a lost answer event), or no event: hold and transfer as before', () => {
    expect(bar({ callSid: SID, status: 'answered', answeredAt: 1 }, [agent, customer])).toMatchObject({ visible: true, canHold: true, canTransfer: true });
    expect(bar({ callSid: SID, status: 'ringing' }, [agent, customer])).toMatchObject({ visible: true, canHold: true, canTransfer: true });
    expect(bar(null, [agent])).toMatchObject({ visible: true, canHold: true, canTransfer: true });
  });
});
