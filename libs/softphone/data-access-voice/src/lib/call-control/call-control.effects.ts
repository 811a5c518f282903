import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store, type Action } from '@ngrx/store';
import { catchError, concat, defer, EMPTY, exhaustMap, filter, from, map, merge, mergeMap, of, race, switchMap, take, takeUntil, timer, type Observable } from 'rxjs';
import { CallSdkEvents } from '../call/call-sdk.actions';
import { callFeature } from '../call/call.feature';
import { DeviceSdkEvents } from '../connection/device-sdk.actions';
import { connectionFeature } from '../connection/connection.feature';
import { CALL_CONTROL_PORT, toCallControlProblem, type CallControlPort } from '../ports/call-control-port';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { VOICE_CLOCK } from '../voice-state.config';
import { dispatchLiveCallEvents } from './call-control-live.effects';
import { CALL_LIVE_EVENTS_PORT, type CallLiveEventsPort } from './call-live-events-port';
import { CallControlApiEvents, CallControlLiveEvents, CallControlPanelActions, CallControlTimerEvents } from './call-control.actions';

/** One request to the API: its answer as an action, or its failure as Request Failed (the effect keeps listening). */
function request<T>(callSid: string, name: string, call: () => Observable<T>, done: (answer: T) => Action): Observable<Action> {
  return defer(call).pipe(
    take(1),
    map(done),
    catchError((error: unknown) => of(CallControlApiEvents.requestFailed({ callSid, request: name, problem: toCallControlProblem(error) }))),
  );
}

/**
 * Without a CALL_CONTROL_PORT (the app has not wired the API yet) every effect stays silent, so the
 * slice stays in `no-call` and no call-control button is ever offered.
 */
const optionalPort = (): CallControlPort | null => inject(CALL_CONTROL_PORT, { optional: true });

/** How long to wait before asking again while a call that may be anchored is not (yet) controllable. */
export const PARTICIPANTS_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000];

const PHONE_NUMBER = /^\+?\d{3,15}$/;

/**
 * A call with a phone number at the far end (a caller from the network, or a number the agent dialled)
 * may be anchored in a conference; a call with another agent (`client:` or an identity) never is.
 */
export const mayBeAnchored = (remote: string | undefined): boolean =>
  remote !== undefined && PHONE_NUMBER.test(remote.replace(/[\s().-]/g, ''));

/**
 * Once the agent's leg opens, ask whether the call is controllable and who is in it. The API can answer
 * before it has stored the callback of the agent's own join (it then says "not controllable"), so for a
 * call that may be anchored it is asked again after each of PARTICIPANTS_RETRY_DELAYS_MS until it says
 * controllable, a live `call.participants` for the leg says so, or the leg ends. A live event for the leg
 * that arrives while a request is in flight wins: the answer, read before it, is dropped as stale.
 */
export const loadParticipantsWhenAnswered = createEffect(
  (
    actions$ = inject(Actions),
    port = optionalPort(),
    calls$: Observable<Readonly<Record<string, { readonly remote: string }>>> = inject(Store).select(callFeature.selectCalls),
  ) => {
    if (!port) return EMPTY;
    return actions$.pipe(
      ofType(CallSdkEvents.accepted),
      filter((action): action is typeof action & { callSid: string } => action.callSid !== null),
      concatLatestFrom(() => calls$),
      switchMap(([{ callId, callSid }, calls]) => {
        const delays = mayBeAnchored(calls[callId]?.remote) ? PARTICIPANTS_RETRY_DELAYS_MS : [];
        const live$ = actions$.pipe(ofType(CallControlLiveEvents.liveCallParticipants), filter(({ event }) => event.callSid === callSid));
        const ended$ = actions$.pipe(ofType(CallSdkEvents.disconnected), filter((action) => action.callId === callId));
        const answer$ = defer(() => port.participants(callSid)).pipe(
          take(1),
          map((response): Answer => ({ action: CallControlApiEvents.participantsLoaded({ response }), controllable: response.controllable })),
          catchError((error: unknown) =>
            of<Answer>({ action: CallControlApiEvents.participantsFailed({ callSid, problem: toCallControlProblem(error) }), controllable: false }),
          ),
        );
        const superseded$ = live$.pipe(take(1), map(({ event }): Answer => ({ action: null, controllable: event.controllable })));
        const attempt = (index: number): Observable<Action> =>
          race(answer$, superseded$).pipe(
            mergeMap(({ action, controllable }) => {
              const delay = delays[index];
              const again$ = controllable || delay === undefined ? EMPTY : timer(delay).pipe(mergeMap(() => attempt(index + 1)));
              return action === null ? again$ : concat(of(action), again$);
            }),
          );
        return attempt(0).pipe(takeUntil(merge(ended$, live$.pipe(filter(({ event }) => event.controllable)))));
      }),
    );
  },
  { functional: true },
);

/** One participants request's outcome; `action` null when a live event made its answer stale. */
interface Answer {
  readonly action: Action | null;
  readonly controllable: boolean;
}

/** Hold and resume; a second click while one is in flight is ignored, not queued. */
export const holdOrResume = createEffect(
  (actions$ = inject(Actions), port = optionalPort()) => {
    if (!port) return EMPTY;
    return actions$.pipe(
      ofType(CallControlPanelActions.holdClicked, CallControlPanelActions.resumeClicked),
      exhaustMap((action) => {
        const hold = action.type === CallControlPanelActions.holdClicked.type;
        return request(action.callSid, hold ? 'hold' : 'resume', () => port.hold(action.callSid, hold), (response) =>
          CallControlApiEvents.holdChanged({ response }),
        );
      }),
    );
  },
  { functional: true },
);

export const startTransfer = createEffect(
  (actions$ = inject(Actions), port = optionalPort()) => {
    if (!port) return EMPTY;
    return actions$.pipe(
      ofType(CallControlPanelActions.transferSubmitted),
      exhaustMap(({ callSid, target, mode }) =>
        request(callSid, 'transfer', () => port.transfer(callSid, { target, mode }), (response) => CallControlApiEvents.transferStarted({ response })),
      ),
    );
  },
  { functional: true },
);

export const finishConsult = createEffect(
  (actions$ = inject(Actions), port = optionalPort()) => {
    if (!port) return EMPTY;
    return actions$.pipe(
      ofType(CallControlPanelActions.consultActionClicked),
      exhaustMap(({ callSid, action }) =>
        request(callSid, `consult:${action}`, () => port.consult(callSid, action), (response) => CallControlApiEvents.consultActionDone({ response })),
      ),
    );
  },
  { functional: true },
);

/** Rejoin: the API admits the agent, then the softphone places the call it names (dial guards apply). */
export const rejoinCall = createEffect(
  (actions$ = inject(Actions), port = optionalPort()) => {
    if (!port) return EMPTY;
    return actions$.pipe(
      ofType(CallControlPanelActions.rejoinClicked),
      exhaustMap(({ callSid }) =>
        request(callSid, 'rejoin', () => port.rejoin(callSid), (response) => CallControlApiEvents.rejoinAdmitted({ response })),
      ),
    );
  },
  { functional: true },
);

export const placeRejoinCall = createEffect(
  (actions$ = inject(Actions)) => {
    return actions$.pipe(
      ofType(CallControlApiEvents.rejoinAdmitted),
      map(({ response }) => SoftphonePanelActions.dialSubmitted({ to: response.to, params: response.params })),
    );
  },
  { functional: true },
);

/**
 * Ends each rejoin offer when its time is up on this clock (the server sends the customer to voicemail
 * on its own). One timer per call: a new offer of the same call replaces its timer, rejoining it or
 * dismissing the banner cancels it. Offers the slice did not show (it shows one at a time) expire
 * unnoticed: the reducer ignores the expiry of a call it is not offering.
 */
export const expireRejoinOffer = createEffect(
  (actions$ = inject(Actions), clock = inject(VOICE_CLOCK)) => {
    return actions$.pipe(
      ofType(CallControlLiveEvents.rescueAvailable),
      mergeMap((offer) => {
        const { callSid, expiresAt } = offer.event.rejoinable;
        const over$ = actions$.pipe(
          filter(
            (action) =>
              action.type === CallControlPanelActions.noticeDismissed.type ||
              (CallControlApiEvents.rejoinAdmitted.type === action.type && (action as ReturnType<typeof CallControlApiEvents.rejoinAdmitted>).response.callSid === callSid) ||
              (CallControlLiveEvents.rescueAvailable.type === action.type && (action as typeof offer).event.rejoinable.callSid === callSid),
          ),
        );
        const delay = Math.max(0, Date.parse(expiresAt) - clock.now());
        return timer(Number.isNaN(delay) ? 0 : delay).pipe(
          map(() => CallControlTimerEvents.rejoinExpired({ callSid })),
          takeUntil(over$),
        );
      }),
    );
  },
  { functional: true },
);

/**
 * After a reload (or a crash, or a network loss) the rescue event was sent to a page that no longer
 * existed: once the phone is registered, and again whenever the live stream reopens while it is, the API
 * is asked which calls wait for this agent, and each still open is offered like a pushed rescue. A
 * failure shows nothing (no banner, no error): the next registration or reconnect asks again.
 */
export const offerRejoinableCalls = createEffect(
  (
    actions$ = inject(Actions),
    port = optionalPort(),
    live: CallLiveEventsPort | null = inject(CALL_LIVE_EVENTS_PORT, { optional: true }),
    phase$: Observable<string> = inject(Store).select(connectionFeature.selectPhase),
    clock = inject(VOICE_CLOCK),
  ) => {
    if (!port) return EMPTY;
    const registered$ = actions$.pipe(ofType(DeviceSdkEvents.registered));
    const reopened$ = live
      ? defer(() => live.streamOpened()).pipe(
          concatLatestFrom(() => phase$),
          filter(([, phase]) => phase === 'registered'),
        )
      : EMPTY;
    return merge(registered$, reopened$).pipe(
      exhaustMap(() =>
        defer(() => port.rejoinable()).pipe(
          take(1),
          // One offer per call still open (the slice shows the first, the soonest to expire).
          mergeMap(({ calls }) => from(calls.filter((call) => !(Date.parse(call.expiresAt) <= clock.now())))),
          map((rejoinable) => CallControlLiveEvents.rescueAvailable({ event: { rejoinable } })),
          catchError((error: unknown) => of(CallControlApiEvents.rejoinableFailed({ problem: toCallControlProblem(error) }))),
        ),
      ),
    );
  },
  { functional: true },
);

export const callControlEffects = {
  loadParticipantsWhenAnswered,
  holdOrResume,
  startTransfer,
  finishConsult,
  rejoinCall,
  placeRejoinCall,
  expireRejoinOffer,
  offerRejoinableCalls,
  dispatchLiveCallEvents,
};
