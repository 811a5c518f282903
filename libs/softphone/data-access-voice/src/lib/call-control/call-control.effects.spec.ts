import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import type { CallParticipantsResponse, HoldResponse, TransferResponse } from '@switchboard/shared-contracts';
import { FakeCallControlPort } from '../../testing';
import { CallSdkEvents } from '../call/call-sdk.actions';
import { toCallControlProblem, type CallControlProblem } from '../ports/call-control-port';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { clockOf, newScheduler } from '../testing-support/spec-helpers';
import { CallControlApiEvents, CallControlLiveEvents, CallControlPanelActions, CallControlTimerEvents } from './call-control.actions';
import { expireRejoinOffer, finishConsult, holdOrResume, loadParticipantsWhenAnswered, placeRejoinCall, rejoinCall, startTransfer } from './call-control.effects';

const SID = 'CA1';
const refused: CallControlProblem = { code: 'not-a-participant', message: 'You are not in this call.', nextStep: 'Nothing to do.' };

describe('call-control effects', () => {
  it('asks for the participants once a leg with a CallSid opens, and reports a failure as not controllable', () => {
    newScheduler().run(({ hot, cold, expectObservable }) => {
      const response: CallParticipantsResponse = { callSid: SID, controllable: true, participants: [] };
      const port = new FakeCallControlPort({
        participants: (callSid) => (callSid === SID ? cold('-r|', { r: response }) : cold<CallParticipantsResponse>('-#', {}, refused)),
      });
      const actions$ = new Actions(
        hot<Action>('a-b-c', {
          a: CallSdkEvents.accepted({ callId: 'c1', callSid: SID, at: 1 }),
          b: CallSdkEvents.accepted({ callId: 'c2', callSid: null, at: 1 }),
          c: CallSdkEvents.accepted({ callId: 'c3', callSid: 'CA404', at: 1 }),
        }),
      );
      expectObservable(loadParticipantsWhenAnswered(actions$, port)).toBe('-l---f', {
        l: CallControlApiEvents.participantsLoaded({ response }),
        f: CallControlApiEvents.participantsFailed({ callSid: 'CA404', problem: refused }),
      });
    });
  });

  it('stays silent without a port (the API is not wired): no requests, no actions', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const actions$ = new Actions(hot<Action>('a', { a: CallSdkEvents.accepted({ callId: 'c1', callSid: SID, at: 1 }) }));
      expectObservable(loadParticipantsWhenAnswered(actions$, null)).toBe('|');
      expectObservable(holdOrResume(actions$, null)).toBe('|');
    });
  });

  it('holds and resumes through the API; a second click while one is in flight is ignored', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const port = new FakeCallControlPort({
        hold: (callSid, hold) => cold<HoldResponse>('--r|', { r: { callSid, held: hold, heldSince: hold ? '2026-12-06T09:00:00.000Z' : null } }),
      });
      const actions$ = new Actions(
        hot<Action>('h-h---u', {
          h: CallControlPanelActions.holdClicked({ callSid: SID }),
          u: CallControlPanelActions.resumeClicked({ callSid: SID }),
        }),
      );
      expectObservable(holdOrResume(actions$, port)).toBe('--h-----u', {
        h: CallControlApiEvents.holdChanged({ response: { callSid: SID, held: true, heldSince: '2026-12-06T09:00:00.000Z' } }),
        u: CallControlApiEvents.holdChanged({ response: { callSid: SID, held: false, heldSince: null } }),
      });
      flush();
      expect(port.requests).toEqual([
        { method: 'hold', callSid: SID, body: { hold: true } },
        { method: 'hold', callSid: SID, body: { hold: false } },
      ]);
    });
  });

  it('turns a refused transfer into Request Failed with the problem, and keeps listening', () => {
    newScheduler().run(({ hot, cold, expectObservable }) => {
      const unavailable: CallControlProblem = { code: 'target-unavailable', message: 'Alice is away.', nextStep: 'Pick someone else.' };
      const ok: TransferResponse = { callSid: SID, transferId: 'T2', mode: 'consult', status: 'ringing-target', targetDisplay: 'Bob' };
      let attempt = 0;
      const port = new FakeCallControlPort({
        transfer: () => (attempt++ === 0 ? cold<TransferResponse>('-#', {}, unavailable) : cold('-r|', { r: ok })),
      });
      const submit = (identity: string) =>
        CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'agent', identity }, mode: 'consult', targetDisplay: identity });
      const actions$ = new Actions(hot<Action>('a--b', { a: submit('alice'), b: submit('bob') }));
      expectObservable(startTransfer(actions$, port)).toBe('-f--t', {
        f: CallControlApiEvents.requestFailed({ callSid: SID, request: 'transfer', problem: unavailable }),
        t: CallControlApiEvents.transferStarted({ response: ok }),
      });
    });
  });

  it('maps anything unexpected to a generic problem with a next step', () => {
    newScheduler().run(({ hot, cold, expectObservable }) => {
      const port = new FakeCallControlPort({ consult: () => cold('#', {}, new Error('boom')) });
      const actions$ = new Actions(hot<Action>('c', { c: CallControlPanelActions.consultActionClicked({ callSid: SID, action: 'complete' }) }));
      expectObservable(finishConsult(actions$, port)).toBe('f', {
        f: CallControlApiEvents.requestFailed({ callSid: SID, request: 'consult:complete', problem: toCallControlProblem(new Error('boom')) }),
      });
    });
    expect(toCallControlProblem(new Error('boom')).nextStep).toMatch(/Try again/);
  });

  it('rejoins: the API admits the agent, then the named call is placed through the dial path', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const port = new FakeCallControlPort();
      const actions$ = new Actions(hot<Action>('r', { r: CallControlPanelActions.rejoinClicked({ callSid: SID }) }));
      const admitted = CallControlApiEvents.rejoinAdmitted({ response: { callSid: SID, to: 'rejoin', params: { rejoinCallSid: SID } } });
      expectObservable(rejoinCall(actions$, port)).toBe('a', { a: admitted });
      expectObservable(placeRejoinCall(new Actions(hot<Action>('-a', { a: admitted })))).toBe('-d', {
        d: SoftphonePanelActions.dialSubmitted({ to: 'rejoin', params: { rejoinCallSid: SID } }),
      });
    });
  });

  it('expires the rejoin offer at expiresAt on the clock, unless the agent rejoined first', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const clock = clockOf(() => Date.parse('2026-12-06T09:00:00.000Z'));
      const offer = (callSid: string) =>
        CallControlLiveEvents.rescueAvailable({ event: { rejoinable: { callSid, customerDisplay: 'Caller', expiresAt: '2026-12-06T09:00:00.010Z' } } });
      const actions$ = new Actions(
        hot<Action>('a 20ms b 5ms r', {
          a: offer('CA1'),
          b: offer('CA2'),
          r: CallControlApiEvents.rejoinAdmitted({ response: { callSid: 'CA2', to: 'rejoin', params: {} } }),
        }),
      );
      // CA1 expires 10 ms after its offer; CA2's timer is cancelled by the rejoin 6 ms in.
      expectObservable(expireRejoinOffer(actions$, clock)).toBe('10ms e', { e: CallControlTimerEvents.rejoinExpired({ callSid: 'CA1' }) });
    });
  });
});
