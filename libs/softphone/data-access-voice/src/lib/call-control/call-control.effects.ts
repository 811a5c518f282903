import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { catchError, defer, EMPTY, exhaustMap, filter, map, of, switchMap, take, timer, type Observable } from 'rxjs';
import { CallSdkEvents } from '../call/call-sdk.actions';
import { CALL_CONTROL_PORT, toCallControlProblem, type CallControlPort } from '../ports/call-control-port';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { VOICE_CLOCK } from '../voice-state.config';
import { dispatchLiveCallEvents } from './call-control-live.effects';
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

/** Once the agent's leg opens, ask whether the call is controllable and who is in it. */
export const loadParticipantsWhenAnswered = createEffect(
  (actions$ = inject(Actions), port = optionalPort()) => {
    if (!port) return EMPTY;
    return actions$.pipe(
      ofType(CallSdkEvents.accepted),
      filter((action): action is typeof action & { callSid: string } => action.callSid !== null),
      switchMap(({ callSid }) =>
        defer(() => port.participants(callSid)).pipe(
          take(1),
          map((response) => CallControlApiEvents.participantsLoaded({ response })),
          catchError((error: unknown) => of(CallControlApiEvents.participantsFailed({ callSid, problem: toCallControlProblem(error) }))),
        ),
      ),
    );
  },
  { functional: true },
);

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
 * Ends the rejoin offer when its time is up on this clock (the server sends the customer to
 * voicemail on its own). A new offer replaces the timer; rejoining or dismissing cancels it.
 */
export const expireRejoinOffer = createEffect(
  (actions$ = inject(Actions), clock = inject(VOICE_CLOCK)) => {
    return actions$.pipe(
      ofType(CallControlLiveEvents.rescueAvailable, CallControlApiEvents.rejoinAdmitted, CallControlPanelActions.noticeDismissed),
      switchMap((action) => {
        if (action.type !== CallControlLiveEvents.rescueAvailable.type) return EMPTY;
        const { callSid, expiresAt } = action.event.rejoinable;
        const delay = Math.max(0, Date.parse(expiresAt) - clock.now());
        return timer(Number.isNaN(delay) ? 0 : delay).pipe(map(() => CallControlTimerEvents.rejoinExpired({ callSid })));
      }),
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
  dispatchLiveCallEvents,
};
