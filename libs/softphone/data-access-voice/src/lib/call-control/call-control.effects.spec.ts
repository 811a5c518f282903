import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { REJOIN_PARAM, type CallParticipantsResponse, type HoldResponse, type RejoinableCallsResponse, type TransferResponse } from '@switchboard/shared-contracts';
import { DeviceSdkEvents } from '../connection/device-sdk.actions';
import type { CallLiveEventsPort } from './call-live-events-port';
import { of, shareReplay } from 'rxjs';
import { FakeCallControlPort } from '../../testing';
import { CallSdkEvents } from '../call/call-sdk.actions';
import { toCallControlProblem, type CallControlProblem } from '../ports/call-control-port';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { clockOf, newScheduler } from '../testing-support/spec-helpers';
import { CallControlApiEvents, CallControlLiveEvents, CallControlPanelActions, CallControlTimerEvents } from './call-control.actions';
import {
  expireRejoinOffer,
  finishConsult,
  holdOrResume,
  loadParticipantsWhenAnswered,
  mayBeAnchored,
  offerRejoinableCalls,
  placeRejoinCall,
  rejoinCall,
  startTransfer,
} from './call-control.effects';

const SID = 'CA1';
const refused: CallControlProblem = { code: 'not-a-participant', message: 'You are not in this call.', nextStep: 'Nothing to do.' };

/** The call slice's entries: c1 is a caller from the network (may be anchored), c2 a call with another agent. */
const phoneCalls = { c1: { remote: '+14155550100' }, c2: { remote: 'client:alice' }, c3: { remote: 'bob' } };
const agentCalls = of({ c1: { remote: 'client:alice' }, c2: { remote: 'client:alice' }, c3: { remote: 'client:alice' } });

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
      expectObservable(loadParticipantsWhenAnswered(actions$, port, agentCalls)).toBe('-l---f', {
        l: CallControlApiEvents.participantsLoaded({ response }),
        f: CallControlApiEvents.participantsFailed({ callSid: 'CA404', problem: refused }),
      });
    });
  });

  describe('a call that may be anchored, answered before the API stored the agent\'s join', () => {
    const notYet: CallParticipantsResponse = { callSid: SID, controllable: false, participants: [] };
    const settled: CallParticipantsResponse = { callSid: SID, controllable: true, participants: [] };
    const accepted = CallSdkEvents.accepted({ callId: 'c1', callSid: SID, at: 1 });

    it('asks again after 1 s and 3 s until the API says controllable', () => {
      newScheduler().run(({ hot, cold, expectObservable, flush }) => {
        const answers = [notYet, notYet, settled];
        const asked: number[] = [];
        const port = new FakeCallControlPort({
          participants: () => {
            asked.push(asked.length);
            return cold('-r|', { r: answers[asked.length - 1] });
          },
        });
        const actions$ = new Actions(hot<Action>('a', { a: accepted }));
        const loaded = (response: CallParticipantsResponse) => CallControlApiEvents.participantsLoaded({ response });
        // asked at 0, 1001 and 4002 (each answer takes 1 frame), then never again.
        expectObservable(loadParticipantsWhenAnswered(actions$, port, of(phoneCalls))).toBe('-a 999ms -b 2999ms -c', {
          a: loaded(notYet), b: loaded(notYet), c: loaded(settled),
        });
        flush();
        expect(asked).toHaveLength(3);
      });
    });

    it('stops asking once the answers run out, the call ends, or the live event says controllable', () => {
      newScheduler().run(({ hot, cold, expectObservable }) => {
        const port = new FakeCallControlPort({ participants: () => cold('-r|', { r: notYet }) });
        const loaded = CallControlApiEvents.participantsLoaded({ response: notYet });
        const gaveUp = new Actions(hot<Action>('a', { a: accepted }));
        expectObservable(loadParticipantsWhenAnswered(gaveUp, port, of(phoneCalls))).toBe('-l 999ms -l 2999ms -l', { l: loaded });
        const ended = new Actions(hot<Action>('a 500ms d', { a: accepted, d: CallSdkEvents.disconnected({ callId: 'c1', callSid: SID, at: 2 }) }));
        expectObservable(loadParticipantsWhenAnswered(ended, port, of(phoneCalls))).toBe('-l', { l: loaded });
        const joined = CallControlLiveEvents.liveCallParticipants({ event: settled });
        const live = new Actions(hot<Action>('a 500ms j', { a: accepted, j: joined }));
        expectObservable(loadParticipantsWhenAnswered(live, port, of(phoneCalls))).toBe('-l', { l: loaded });
      });
    });

    it('drops an answer that arrives after a live event for the leg (read before the join, it is stale)', () => {
      newScheduler().run(({ hot, cold, expectObservable }) => {
        const port = new FakeCallControlPort({ participants: () => cold('---r|', { r: notYet }) });
        const joined = CallControlLiveEvents.liveCallParticipants({ event: settled });
        const actions$ = new Actions(hot<Action>('a-j', { a: accepted, j: joined }));
        expectObservable(loadParticipantsWhenAnswered(actions$, port, of(phoneCalls))).toBe('');
        // A live event that still says "not controllable" drops the answer too, but the asking goes on.
        const early = CallControlLiveEvents.liveCallParticipants({ event: notYet });
        const still = new Actions(hot<Action>('a-e', { a: accepted, e: early }));
        expectObservable(loadParticipantsWhenAnswered(still, port, of(phoneCalls))).toBe('1005ms l 3002ms l', {
          l: CallControlApiEvents.participantsLoaded({ response: notYet }),
        });
      });
    });

    it('asks once for a call with another agent (never anchored)', () => {
      newScheduler().run(({ hot, cold, expectObservable }) => {
        const port = new FakeCallControlPort({ participants: () => cold('-r|', { r: notYet }) });
        const actions$ = new Actions(hot<Action>('a', { a: CallSdkEvents.accepted({ callId: 'c2', callSid: SID, at: 1 }) }));
        expectObservable(loadParticipantsWhenAnswered(actions$, port, of(phoneCalls))).toBe('-l', { l: CallControlApiEvents.participantsLoaded({ response: notYet }) });
      });
    });

    it('tells phone numbers (may be anchored) from agents', () => {
      expect(['+14155550100', '(415) 555-0100', '4155550100'].map(mayBeAnchored)).toEqual([true, true, true]);
      expect(['client:alice', 'alice', '', undefined].map(mayBeAnchored)).toEqual([false, false, false, false]);
    });
  });

  it('stays silent without a port (the API is not wired): no requests, no actions', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const actions$ = new Actions(hot<Action>('a', { a: CallSdkEvents.accepted({ callId: 'c1', callSid: SID, at: 1 }) }));
      expectObservable(loadParticipantsWhenAnswered(actions$, null, agentCalls)).toBe('|');
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
      const response = { callSid: SID, to: 'conference:rescue', params: { [REJOIN_PARAM]: 'RS1' } };
      const port2 = new FakeCallControlPort({ rejoin: () => of(response) });
      const admitted = CallControlApiEvents.rejoinAdmitted({ response });
      expectObservable(rejoinCall(actions$, port2)).toBe('a', { a: admitted });
      // The rescue's parameter goes with the call (the adapter passes params to device.connect, To beside them).
      expectObservable(placeRejoinCall(new Actions(hot<Action>('-a', { a: admitted })))).toBe('-d', {
        d: SoftphonePanelActions.dialSubmitted({ to: 'conference:rescue', params: { [REJOIN_PARAM]: 'RS1' } }),
      });
      expect(port.requests).toEqual([]);
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

  it('keeps one timer per offered call: a second offer does not cancel the first one\'s expiry', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const clock = clockOf(() => Date.parse('2026-12-06T09:00:00.000Z'));
      const offer = (callSid: string, ms: number) =>
        CallControlLiveEvents.rescueAvailable({ event: { rejoinable: { callSid, customerDisplay: 'Caller', expiresAt: new Date(Date.parse('2026-12-06T09:00:00.000Z') + ms).toISOString() } } });
      const actions$ = new Actions(hot<Action>('ab', { a: offer('CA1', 10), b: offer('CA2', 20) }));
      expectObservable(expireRejoinOffer(actions$, clock)).toBe('10ms x 10ms y', {
        x: CallControlTimerEvents.rejoinExpired({ callSid: 'CA1' }),
        y: CallControlTimerEvents.rejoinExpired({ callSid: 'CA2' }),
      });
    });
  });
});

describe('offerRejoinableCalls (after a reload)', () => {
  const now = Date.parse('2026-12-06T09:00:00.000Z');
  const clock = clockOf(() => now);
  const open = { callSid: 'CA1', customerDisplay: '+1 ••• ••• 0100', expiresAt: '2026-12-06T09:00:45.000Z' };
  const past = { callSid: 'CA0', customerDisplay: 'Old', expiresAt: '2026-12-06T08:59:59.000Z' };
  const registered = DeviceSdkEvents.registered({ edge: null });

  it('asks once the phone is registered and offers each call still open (not the ones already past)', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const port = new FakeCallControlPort({ rejoinable: () => cold<RejoinableCallsResponse>('-r|', { r: { calls: [open, past] } }) });
      const actions$ = new Actions(hot<Action>('a', { a: registered }));
      expectObservable(offerRejoinableCalls(actions$, port, null, of('registered'), clock)).toBe('-o', {
        o: CallControlLiveEvents.rescueAvailable({ event: { rejoinable: open } }),
      });
      flush();
      expect(port.requests).toEqual([{ method: 'rejoinable', callSid: '' }]);
    });
  });

  it('asks again each time the live stream reopens while registered, not while offline', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const port = new FakeCallControlPort({ rejoinable: () => of({ calls: [open] }) });
      const opened$ = hot<void>('-h---h', { h: undefined });
      const live: CallLiveEventsPort = { callEvents: () => cold('-'), streamOpened: () => opened$ };
      // Like store.select: the current phase at once to each subscriber.
      const phase$ = hot('o---r', { o: 'offline', r: 'registered' }).pipe(shareReplay(1));
      phase$.subscribe();
      expectObservable(offerRejoinableCalls(new Actions(hot<Action>('')), port, live, phase$, clock)).toBe('-----o', {
        o: CallControlLiveEvents.rescueAvailable({ event: { rejoinable: open } }),
      });
      flush();
      expect(port.requests).toHaveLength(1);
    });
  });

  it('a failing request offers nothing and says why in an action (no banner, no crash); the next registration asks again', () => {
    newScheduler().run(({ hot, cold, expectObservable }) => {
      let attempt = 0;
      const port = new FakeCallControlPort({
        rejoinable: () => (attempt++ === 0 ? cold<RejoinableCallsResponse>('-#', {}, refused) : of({ calls: [open] })),
      });
      const actions$ = new Actions(hot<Action>('a--a', { a: registered }));
      expectObservable(offerRejoinableCalls(actions$, port, null, of('registered'), clock)).toBe('-f-o', {
        f: CallControlApiEvents.rejoinableFailed({ problem: refused }),
        o: CallControlLiveEvents.rescueAvailable({ event: { rejoinable: open } }),
      });
    });
  });

  it('stays silent without a port', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      expectObservable(offerRejoinableCalls(new Actions(hot<Action>('a', { a: registered })), null, null, of('registered'), clock)).toBe('|');
    });
  });
});
