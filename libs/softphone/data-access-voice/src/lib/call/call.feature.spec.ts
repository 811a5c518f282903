import { CALL_TRANSITIONS, describeVoiceError, isLiveCall, type CallPhase, type IncomingCallInfo } from '@switchboard/shared-voice-model';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { play } from '../testing-support/spec-helpers';
import { CallCommandEvents, CallSdkEvents } from './call-sdk.actions';
import { callFeature } from './call.feature';

const reducer = callFeature.reducer;
const callSid = 'CA' + '0'.repeat(32);
const incoming = (callId: string, from = '+15555550100'): IncomingCallInfo => ({
  callId,
  callSid,
  from,
  to: 'client:alice',
  customParameters: { account: 'ACME' },
  isCallerVerified: true,
});
const dialed = [
  CallCommandEvents.outgoingStarted({ callId: 'c1', to: '+14155550111', at: 100 }),
  CallSdkEvents.ringing({ callId: 'c1', hasEarlyMedia: true }),
  CallSdkEvents.accepted({ callId: 'c1', callSid, at: 200 }),
];

describe('call slice as event paths', () => {
  it('outgoing: dialing → ringing → open ⇄ reconnecting → closed (completed)', () => {
    const reconnecting = play(reducer, ...dialed, CallSdkEvents.reconnecting({ callId: 'c1', error: describeVoiceError(53001), at: 300 }));
    expect(reconnecting.calls['c1']).toMatchObject({ phase: 'reconnecting', reconnectingSince: 300, connectedAt: 200 });
    const ended = play(
      reducer,
      ...dialed,
      CallSdkEvents.reconnecting({ callId: 'c1', error: describeVoiceError(53001), at: 300 }),
      CallSdkEvents.reconnected({ callId: 'c1' }),
      SoftphonePanelActions.hangUpClicked({ callId: 'c1' }),
      CallSdkEvents.disconnected({ callId: 'c1', callSid, at: 400 }),
    );
    expect(ended.calls['c1']).toMatchObject({ phase: 'closed', outcome: { kind: 'completed' }, endedAt: 400, reconnectingSince: null });
  });

  it('a call the agent leaves by answering another or signing out counts as ended by the agent, like a hang-up click', () => {
    const ended = (leave: ReturnType<typeof SoftphonePanelActions.hangUpClicked> | ReturnType<typeof CallCommandEvents.leaveRequested>) =>
      play(reducer, ...dialed, leave, CallSdkEvents.disconnected({ callId: 'c1', callSid, at: 400 })).calls['c1'];
    const clicked = ended(SoftphonePanelActions.hangUpClicked({ callId: 'c1' }));
    expect(ended(CallCommandEvents.leaveRequested({ callId: 'c1', cause: 'answering-another' }))).toEqual(clicked);
    expect(ended(CallCommandEvents.leaveRequested({ callId: 'c1', cause: 'signing-out' }))).toEqual(clicked);
    expect(clicked).toMatchObject({ phase: 'closed', endedByAgent: true });
  });

  it.each([
    [31486, 'busy'],
    [31480, 'no-answer'],
    [31603, 'declined'],
  ])('outgoing: error %i then disconnect ends as %s', (code, kind) => {
    const state = play(
      reducer,
      CallCommandEvents.outgoingStarted({ callId: 'c1', to: '+14155550122', at: 100 }),
      CallSdkEvents.ringing({ callId: 'c1', hasEarlyMedia: false }),
      CallSdkEvents.failed({ callId: 'c1', error: describeVoiceError(code) }),
      CallSdkEvents.disconnected({ callId: 'c1', callSid: null, at: 150 }),
    );
    expect(state.calls['c1'].outcome?.kind).toBe(kind);
  });

  it('outgoing: a media failure ends as failed with the code', () => {
    const state = play(reducer, ...dialed, CallSdkEvents.failed({ callId: 'c1', error: describeVoiceError(53405) }), CallSdkEvents.disconnected({ callId: 'c1', callSid, at: 900 }));
    expect(state.calls['c1'].outcome).toMatchObject({ kind: 'failed', error: { code: 53405 } });
  });

  it('incoming: pending → accepting → open, with caller context', () => {
    const state = play(
      reducer,
      CallSdkEvents.incomingReceived({ call: incoming('c2'), at: 10 }),
      SoftphonePanelActions.answerClicked({ callId: 'c2' }),
      CallSdkEvents.accepted({ callId: 'c2', callSid, at: 20 }),
    );
    expect(state.calls['c2']).toMatchObject({ direction: 'incoming', phase: 'open', remote: '+15555550100', customParameters: { account: 'ACME' }, isCallerVerified: true, connectedAt: 20 });
  });

  it('incoming: declined, ignored and cancelled each close with their outcome', () => {
    const declined = play(reducer, CallSdkEvents.incomingReceived({ call: incoming('c2'), at: 10 }), CallSdkEvents.rejected({ callId: 'c2', at: 11 }));
    expect(declined.calls['c2'].outcome).toEqual({ kind: 'rejected' });
    const ignored = play(reducer, CallSdkEvents.incomingReceived({ call: incoming('c2'), at: 10 }), CallCommandEvents.ignored({ callId: 'c2', at: 11 }));
    expect(ignored.calls['c2'].outcome).toEqual({ kind: 'ignored' });
    const cancelled = play(reducer, CallSdkEvents.incomingReceived({ call: incoming('c2'), at: 10 }), CallSdkEvents.cancelled({ callId: 'c2', at: 11 }));
    expect(cancelled.calls['c2'].outcome).toEqual({ kind: 'cancelled' });
  });

  it('a disconnect after reject does not overwrite the outcome', () => {
    const state = play(reducer, CallSdkEvents.incomingReceived({ call: incoming('c2'), at: 10 }), CallSdkEvents.rejected({ callId: 'c2', at: 11 }), CallSdkEvents.disconnected({ callId: 'c2', callSid, at: 12 }));
    expect(state.calls['c2']).toMatchObject({ outcome: { kind: 'rejected' }, endedAt: 11 });
    expect(state.rejected).toBeNull();
  });

  it('refuses a late "accepted" after the caller hung up, and says so', () => {
    const state = play(
      reducer,
      CallSdkEvents.incomingReceived({ call: incoming('c1'), at: 10 }),
      CallSdkEvents.cancelled({ callId: 'c1', at: 11 }),
      CallSdkEvents.accepted({ callId: 'c1', callSid, at: 12 }),
    );
    expect(state.calls['c1']).toMatchObject({ phase: 'closed', outcome: { kind: 'cancelled' } });
    expect(state.rejected).toEqual({ callId: 'c1', from: 'closed', to: 'open', event: CallSdkEvents.accepted.type });
  });

  it('refuses an incoming call going open without the agent answering', () => {
    const state = play(reducer, CallSdkEvents.incomingReceived({ call: incoming('c1'), at: 10 }), CallSdkEvents.accepted({ callId: 'c1', callSid, at: 12 }));
    expect(state.calls['c1'].phase).toBe('pending');
    expect(state.rejected).toMatchObject({ from: 'pending', to: 'open' });
  });

  it('records events for unknown calls instead of inventing them', () => {
    const state = play(reducer, CallSdkEvents.ringing({ callId: 'ghost', hasEarlyMedia: false }));
    expect(state.calls).toEqual({});
    expect(state.rejected).toEqual({ callId: 'ghost', from: 'none', to: 'ringing', event: CallSdkEvents.ringing.type });
  });

  it('call waiting: a second incoming call during an open one is marked waiting; the first stays open', () => {
    const state = play(reducer, ...dialed, CallSdkEvents.incomingReceived({ call: incoming('c2', '+15555550177'), at: 500 }));
    expect(state.calls['c1'].phase).toBe('open');
    expect(state.calls['c2']).toMatchObject({ phase: 'pending', isWaiting: true });
    expect(play(reducer, CallSdkEvents.incomingReceived({ call: incoming('c3'), at: 1 })).calls['c3'].isWaiting).toBe(false);
  });

  it('mute and received messages are events inside open', () => {
    const message = { messageType: 'user-defined-message' as const, content: { note: 'hi' } };
    const state = play(reducer, ...dialed, CallSdkEvents.muteChanged({ callId: 'c1', isMuted: true }), CallSdkEvents.messageReceived({ callId: 'c1', message }));
    expect(state.calls['c1']).toMatchObject({ isMuted: true, messages: [message] });
  });

  it('a new call clears ended ones; dismissing removes an ended call only', () => {
    const ended = play(reducer, ...dialed, CallSdkEvents.disconnected({ callId: 'c1', callSid, at: 400 }));
    expect(reducer(ended, SoftphonePanelActions.endedCallDismissed({ callId: 'c1' })).order).toEqual([]);
    expect(reducer(ended, CallCommandEvents.outgoingStarted({ callId: 'c9', to: '+1', at: 500 })).order).toEqual(['c9']);
    const live = play(reducer, ...dialed);
    expect(reducer(live, SoftphonePanelActions.endedCallDismissed({ callId: 'c1' })).order).toEqual(['c1']);
  });

  it('a dial refused up front shows as a failed call with guidance', () => {
    const error = describeVoiceError(31401);
    const state = play(reducer, CallCommandEvents.outgoingFailed({ to: '+1', error, at: 7 }));
    expect(state.calls['failed-7']).toMatchObject({ phase: 'closed', outcome: { kind: 'failed', error } });
  });

  it('sign-out clears every call', () => {
    expect(play(reducer, ...dialed, SessionEvents.signedOut())).toEqual(callFeature.reducer(undefined, { type: '@@init' }));
  });

  it('never traps the agent: every live phase can reach closed', () => {
    const live = (Object.keys(CALL_TRANSITIONS) as CallPhase[]).filter(isLiveCall);
    for (const phase of live) expect(CALL_TRANSITIONS[phase]).toContain('closed');
  });
});
