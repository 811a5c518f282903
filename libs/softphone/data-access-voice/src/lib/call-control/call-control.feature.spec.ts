import type { Action } from '@ngrx/store';
import type { CallParticipant } from '@switchboard/shared-contracts';
import { CallCommandEvents, CallSdkEvents } from '../call/call-sdk.actions';
import { SessionEvents } from '../session.actions';
import { play } from '../testing-support/spec-helpers';
import { CallControlApiEvents, CallControlLiveEvents, CallControlPanelActions, CallControlTimerEvents } from './call-control.actions';
import { callControlFeature, type CallControlState } from './call-control.feature';
import { rejoinSecondsLeft, toCallControlView } from './call-control.selectors';

const SID = 'CA' + '1'.repeat(32);
const run = (...actions: Action[]): CallControlState => play(callControlFeature.reducer, ...actions);

const customer: CallParticipant = {
  participantId: 'CA-customer',
  displayName: 'Caller',
  identity: null,
  maskedNumber: '+1 ••• ••• 0100',
  role: 'customer',
  held: false,
  muted: false,
  joinedAt: '2026-12-06T09:00:00.000Z',
};

const answered = CallSdkEvents.accepted({ callId: 'c1', callSid: SID, at: 1 });
const controllable = CallControlApiEvents.participantsLoaded({ response: { callSid: SID, controllable: true, participants: [customer] } });
const inCall = [answered, controllable];
const problem = { code: 'target-unavailable' as const, message: 'Bob cannot take calls right now.', nextStep: 'Pick someone else.' };

describe('callControl reducer', () => {
  it('stays hidden for a call the API says is not controllable (agent to agent), and for an unknown one', () => {
    const direct = run(answered, CallControlApiEvents.participantsLoaded({ response: { callSid: SID, controllable: false, participants: [] } }));
    expect(direct.phase).toBe('no-call');
    expect(toCallControlView(direct).visible).toBe(false);
    const failed = run(answered, CallControlApiEvents.participantsFailed({ callSid: SID, problem }));
    expect(toCallControlView(failed).visible).toBe(false);
  });

  it('a live call.participants for the leg replaces what the fetch said, "not controllable" included (the join was stored after it)', () => {
    const notYet = CallControlApiEvents.participantsLoaded({ response: { callSid: SID, controllable: false, participants: [] } });
    const joined = CallControlLiveEvents.liveCallParticipants({ event: { callSid: SID, controllable: true, participants: [customer] } });
    const failedFirst = CallControlApiEvents.participantsFailed({ callSid: SID, problem });
    for (const fetched of [notYet, failedFirst]) {
      const state = run(answered, fetched, joined);
      expect(state.phase).toBe('idle-in-call');
      expect(toCallControlView(state)).toMatchObject({ visible: true, canHold: true, participants: [customer] });
    }
    // The fetch's answer, read before the join was stored, arriving after the live event: it does not hide the controls.
    const late = run(answered, joined, notYet);
    expect(late.phase).toBe('idle-in-call');
    expect(toCallControlView(late)).toMatchObject({ visible: true, canHold: true, participants: [customer] });
  });

  it('shows the controls once the participants say controllable, for this call only', () => {
    const other = run(answered, CallControlLiveEvents.liveCallParticipants({ event: { callSid: 'CAother', controllable: true, participants: [customer] } }));
    expect(other.phase).toBe('no-call');
    const state = run(...inCall);
    expect(state.phase).toBe('idle-in-call');
    expect(toCallControlView(state)).toMatchObject({ visible: true, canHold: true, canTransfer: true, canResume: false, participants: [customer] });
  });

  it('holds with the server\'s start time for the timer, then resumes', () => {
    const held = run(
      ...inCall,
      CallControlPanelActions.holdClicked({ callSid: SID }),
      CallControlApiEvents.holdChanged({ response: { callSid: SID, held: true, heldSince: '2026-12-06T09:01:00.000Z' } }),
    );
    expect(held.phase).toBe('held');
    expect(toCallControlView(held)).toMatchObject({ isHeld: true, heldSince: Date.parse('2026-12-06T09:01:00.000Z'), canResume: true, canHold: false });
    const resumed = run(
      ...inCall,
      CallControlPanelActions.holdClicked({ callSid: SID }),
      CallControlApiEvents.holdChanged({ response: { callSid: SID, held: true, heldSince: '2026-12-06T09:01:00.000Z' } }),
      CallControlPanelActions.resumeClicked({ callSid: SID }),
      CallControlApiEvents.holdChanged({ response: { callSid: SID, held: false, heldSince: null } }),
    );
    expect(resumed).toMatchObject({ phase: 'idle-in-call', heldSince: null });
  });

  it('a refused hold goes back to the call and says what to do', () => {
    const state = run(...inCall, CallControlPanelActions.holdClicked({ callSid: SID }), CallControlApiEvents.requestFailed({ callSid: SID, request: 'hold', problem }));
    expect(state).toMatchObject({ phase: 'idle-in-call', problem });
    expect(toCallControlView(state).notice).toBe('Bob cannot take calls right now. Pick someone else.');
  });

  it('records a refused move instead of corrupting the phase (resume while not held)', () => {
    const state = run(...inCall, CallControlPanelActions.resumeClicked({ callSid: SID }));
    expect(state).toMatchObject({ phase: 'idle-in-call', rejected: { from: 'idle-in-call', event: 'resume-requested' } });
  });

  it('cold transfer: ringing in words, then answered leaves the agent free', () => {
    const ringing = run(
      ...inCall,
      CallControlPanelActions.transferOpened(),
      CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'agent', identity: 'alice' }, mode: 'cold', targetDisplay: 'Alice Adams' }),
      CallControlApiEvents.transferStarted({ response: { callSid: SID, transferId: 'T1', mode: 'cold', status: 'ringing-target', targetDisplay: 'Alice Adams' } }),
    );
    expect(ringing.phase).toBe('transfer-ringing');
    expect(toCallControlView(ringing).transferStatusText).toBe('Transfer to Alice Adams: Ringing the transfer target');
    const done = callControlFeature.reducer(
      ringing,
      CallControlLiveEvents.liveTransferStatus({ event: { callSid: SID, transferId: 'T1', mode: 'cold', status: 'answered', targetDisplay: 'Alice Adams' } }),
    );
    expect(done.phase).toBe('transferred');
    expect(toCallControlView(done)).toMatchObject({ visible: false, notice: 'Transfer to Alice Adams: Answered. You are free for the next call.' });
  });

  it.each([
    ['no-answer', 'Transfer to Alice Smith: No answer. The caller is back with you.'],
    ['declined', 'Transfer to Alice Smith: Declined. The caller is back with you.'],
    ['busy', 'Transfer to Alice Smith: Busy. The caller is back with you.'],
    ['failed', 'Transfer to Alice Smith: Transfer failed. The caller is back with you.'],
  ] as const)('a cold transfer that ends %s comes back to the agent with the reason in words', (status, notice) => {
    const state = run(
      ...inCall,
      CallControlPanelActions.transferOpened(),
      CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'agent', identity: 'alice' }, mode: 'cold', targetDisplay: 'Alice Smith' }),
      CallControlApiEvents.transferStarted({ response: { callSid: SID, transferId: 'T1', mode: 'cold', status: 'ringing-target', targetDisplay: 'Alice Smith' } }),
      CallControlLiveEvents.liveTransferStatus({ event: { callSid: SID, transferId: 'T1', mode: 'cold', status, targetDisplay: 'Alice Smith' } }),
    );
    expect(state.phase).toBe('returned-to-you');
    expect(toCallControlView(state)).toMatchObject({ notice, canHold: true, isHeld: false });
  });

  it('keeps the reason when the HTTP answer (ringing) arrives after the live event that the target declined', () => {
    const state = run(
      ...inCall,
      CallControlPanelActions.transferOpened(),
      CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'agent', identity: 'alice' }, mode: 'cold', targetDisplay: 'Alice Smith' }),
      CallControlLiveEvents.liveTransferStatus({ event: { callSid: SID, transferId: 'T1', mode: 'cold', status: 'ringing-target', targetDisplay: 'Alice Smith' } }),
      CallControlLiveEvents.liveTransferStatus({ event: { callSid: SID, transferId: 'T1', mode: 'cold', status: 'declined', targetDisplay: 'Alice Smith' } }),
      CallControlApiEvents.transferStarted({ response: { callSid: SID, transferId: 'T1', mode: 'cold', status: 'ringing-target', targetDisplay: 'Alice Smith' } }),
    );
    expect(state).toMatchObject({ phase: 'returned-to-you', transfer: { status: 'declined' } });
    expect(toCallControlView(state).notice).toBe('Transfer to Alice Smith: Declined. The caller is back with you.');
  });

  it('a consult whose target hung up (no reason) says the consult ended, not "the caller is back" twice', () => {
    const state = run(
      ...inCall,
      CallControlPanelActions.transferOpened(),
      CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'agent', identity: 'alice' }, mode: 'consult', targetDisplay: 'Alice Smith' }),
      CallControlLiveEvents.liveTransferStatus({ event: { callSid: SID, transferId: 'T1', mode: 'consult', status: 'answered', targetDisplay: 'Alice Smith' } }),
      CallControlLiveEvents.liveTransferStatus({ event: { callSid: SID, transferId: 'T1', mode: 'consult', status: 'returned-to-you', targetDisplay: 'Alice Smith' } }),
    );
    expect(state.phase).toBe('returned-to-you');
    expect(toCallControlView(state).notice).toBe('The consult with Alice Smith ended. The caller is back with you.');
    const consultMissed = run(
      ...inCall,
      CallControlPanelActions.transferOpened(),
      CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'agent', identity: 'alice' }, mode: 'consult', targetDisplay: 'Alice Smith' }),
      CallControlLiveEvents.liveTransferStatus({ event: { callSid: SID, transferId: 'T1', mode: 'consult', status: 'no-answer', targetDisplay: 'Alice Smith' } }),
    );
    expect(toCallControlView(consultMissed).notice).toBe('Consult with Alice Smith: No answer. The caller is back with you.');
  });

  it('consult from hold: answered, then three-way; or cancelled back to the caller', () => {
    const consulting = [
      ...inCall,
      CallControlPanelActions.holdClicked({ callSid: SID }),
      CallControlApiEvents.holdChanged({ response: { callSid: SID, held: true, heldSince: '2026-12-06T09:01:00.000Z' } }),
      CallControlPanelActions.transferOpened(),
      CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'ring-group', id: 'support' }, mode: 'consult', targetDisplay: 'Support' }),
      CallControlLiveEvents.liveTransferStatus({ event: { callSid: SID, transferId: 'T2', mode: 'consult', status: 'answered', targetDisplay: 'Support' } }),
    ];
    expect(toCallControlView(run(...consulting))).toMatchObject({ phase: 'consulting', canFinishConsult: true, canCancelTransfer: true, isHeld: true });
    const threeWay = run(
      ...consulting,
      CallControlPanelActions.consultActionClicked({ callSid: SID, action: 'three-way' }),
      CallControlApiEvents.consultActionDone({ response: { callSid: SID, action: 'three-way', participants: [customer] } }),
    );
    expect(threeWay.phase).toBe('three-way');
    const cancelled = run(
      ...consulting,
      CallControlPanelActions.consultActionClicked({ callSid: SID, action: 'cancel' }),
      CallControlApiEvents.consultActionDone({ response: { callSid: SID, action: 'cancel', participants: [customer] } }),
    );
    expect(cancelled).toMatchObject({ phase: 'idle-in-call', transfer: null, heldSince: null });
  });

  it('a leg lost after reconnecting is a drop; then the rescue offer, rejoin and the new leg', () => {
    const offer = CallControlLiveEvents.rescueAvailable({ event: { rejoinable: { callSid: SID, customerDisplay: 'Caller', expiresAt: '2026-12-06T09:02:00.000Z' } } });
    const dropped = run(...inCall, CallSdkEvents.reconnecting({ callId: 'c1', error: { code: 53001 } as never, at: 2 }), CallSdkEvents.disconnected({ callId: 'c1', callSid: SID, at: 3 }));
    expect(dropped.phase).toBe('dropped');
    const offered = callControlFeature.reducer(dropped, offer);
    expect(toCallControlView(offered).rejoin).toEqual({ callSid: SID, customerDisplay: 'Caller', expiresAt: Date.parse('2026-12-06T09:02:00.000Z'), isRejoining: false });
    const back = run(
      ...inCall,
      CallSdkEvents.reconnecting({ callId: 'c1', error: { code: 53001 } as never, at: 2 }),
      CallSdkEvents.disconnected({ callId: 'c1', callSid: SID, at: 3 }),
      offer,
      CallControlPanelActions.rejoinClicked({ callSid: SID }),
      CallControlApiEvents.rejoinAdmitted({ response: { callSid: SID, to: 'rejoin', params: {} } }),
      CallSdkEvents.accepted({ callId: 'c2', callSid: 'CAnew', at: 4 }),
    );
    expect(back).toMatchObject({ phase: 'back-in-call', callId: 'c2', callSid: 'CAnew', rejoinable: null });
    expect(toCallControlView(back)).toMatchObject({ visible: true, canResume: true, isHeld: true });
  });

  it('after a reload: the rejoin call becomes the agent\'s leg in a normal controllable call, named by who waited', () => {
    const offer = CallControlLiveEvents.rescueAvailable({ event: { rejoinable: { callSid: SID, customerDisplay: '+1 ••• ••• 0100', expiresAt: '2026-12-06T09:02:00.000Z' } } });
    const admitted = [
      offer,
      CallControlPanelActions.rejoinClicked({ callSid: SID }),
      CallControlApiEvents.rejoinAdmitted({ response: { callSid: SID, to: 'rejoin', params: {} } }),
      CallCommandEvents.outgoingStarted({ callId: 'c9', to: 'rejoin', at: 4 }),
    ];
    const back = run(...admitted, CallSdkEvents.accepted({ callId: 'c9', callSid: 'CAnew', at: 5 }));
    expect(toCallControlView(back)).toMatchObject({ phase: 'back-in-call', visible: true, callId: 'c9', callSid: 'CAnew', rejoinedCustomer: '+1 ••• ••• 0100' });
    const resumed = run(
      ...admitted,
      CallSdkEvents.accepted({ callId: 'c9', callSid: 'CAnew', at: 5 }),
      CallControlPanelActions.resumeClicked({ callSid: 'CAnew' }),
      CallControlApiEvents.holdChanged({ response: { callSid: 'CAnew', held: false, heldSince: null } }),
    );
    expect(toCallControlView(resumed)).toMatchObject({ phase: 'idle-in-call', canHold: true, canTransfer: true });
    // The rejoin call failed before answering, or could not be placed: no bar is left without a call.
    expect(run(...admitted, CallSdkEvents.disconnected({ callId: 'c9', callSid: null, at: 5 })).phase).toBe('no-call');
    expect(run(...admitted.slice(0, 3), CallCommandEvents.outgoingFailed({ to: 'rejoin', error: { code: 31000 } as never, at: 4 }))).toEqual(
      run(),
    );
  });

  it('after a reload (no call at all) the offer expires on the timer or on the server\'s 410', () => {
    const offer = CallControlLiveEvents.rescueAvailable({ event: { rejoinable: { callSid: SID, customerDisplay: 'Caller', expiresAt: '2026-12-06T09:02:00.000Z' } } });
    expect(run(offer, CallControlTimerEvents.rejoinExpired({ callSid: SID })).phase).toBe('expired');
    const gone = run(
      offer,
      CallControlPanelActions.rejoinClicked({ callSid: SID }),
      CallControlApiEvents.requestFailed({ callSid: SID, request: 'rejoin', problem: { code: 'call-gone', message: 'The call ended.', nextStep: 'Nothing to do.' } }),
    );
    expect(gone.phase).toBe('expired');
    expect(toCallControlView(gone)).toMatchObject({ rejoin: null, notice: 'The call can no longer be rejoined: The call ended.' });
    expect(toCallControlView(run(offer, CallControlTimerEvents.rejoinExpired({ callSid: SID }))).notice).toBe(
      'The caller could no longer wait and went to voicemail.',
    );
    expect(run(offer, CallControlTimerEvents.rejoinExpired({ callSid: SID }), CallControlPanelActions.noticeDismissed()).phase).toBe('no-call');
  });

  it('a normal hang-up ends call control; signing out forgets everything', () => {
    expect(run(...inCall, CallSdkEvents.disconnected({ callId: 'c1', callSid: SID, at: 3 })).phase).toBe('no-call');
    expect(run(...inCall, SessionEvents.signedOut()).phase).toBe('no-call');
  });
});

describe('rejoinSecondsLeft', () => {
  it('rounds up and never goes below zero', () => {
    expect(rejoinSecondsLeft(10_000, 0)).toBe(10);
    expect(rejoinSecondsLeft(10_000, 9_001)).toBe(1);
    expect(rejoinSecondsLeft(10_000, 12_000)).toBe(0);
  });
});
