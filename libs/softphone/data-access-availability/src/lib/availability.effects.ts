import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store } from '@ngrx/store';
import { SessionEvents } from '@switchboard/softphone-data-access-voice';
import { EMPTY, catchError, concat, exhaustMap, filter, map, merge, of, switchMap, takeUntil } from 'rxjs';
import { AvailabilityApiEvents, AvailabilityLiveEvents, AvailabilityMenuActions } from './availability.actions';
import { availabilityFeature } from './availability.feature';
import { AVAILABILITY_LIVE_EVENTS_PORT, AVAILABILITY_PORT, toAvailabilityProblem } from './availability.ports';

/**
 * `GET /api/availability` after sign-in, and again whenever the live stream (re)opens or says events were
 * missed (`session.hello` / `session.resync`): a change made meanwhile (a supervisor, the wrap-up timer)
 * would otherwise stay unseen. A newer trigger replaces a load still in flight.
 */
export const loadAvailability = createEffect(
  (actions$ = inject(Actions), api = inject(AVAILABILITY_PORT), live = inject(AVAILABILITY_LIVE_EVENTS_PORT, { optional: true })) => {
    const signedOut$ = actions$.pipe(ofType(SessionEvents.signedOut));
    return actions$.pipe(
      ofType(SessionEvents.signedIn),
      switchMap(() => merge(of(undefined), live?.streamOpened() ?? EMPTY).pipe(takeUntil(signedOut$))),
      switchMap(() =>
        concat(
          of(AvailabilityApiEvents.loadStarted()),
          api.load().pipe(
            map((response) => AvailabilityApiEvents.loaded({ response })),
            catchError((error: unknown) => of(AvailabilityApiEvents.loadFailed({ problem: toAvailabilityProblem(error) }))),
          ),
        ).pipe(takeUntil(signedOut$)),
      ),
    );
  },
  { functional: true },
);

/**
 * The agent's choice, once the slice accepted it (sync 'saving', `pending` set): one PUT at a time; the
 * slice refuses further choices until it is answered.
 */
export const saveChosenAvailability = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(AVAILABILITY_PORT)) => {
    return actions$.pipe(
      ofType(AvailabilityMenuActions.availableChosen, AvailabilityMenuActions.awayChosen, AvailabilityMenuActions.wrapUpDone),
      concatLatestFrom(() => store.select(availabilityFeature.selectPending)),
      map(([, pending]) => pending),
      filter((pending) => pending !== null),
      exhaustMap((request) =>
        api.choose(request).pipe(
          map((availability) => AvailabilityApiEvents.changed({ availability })),
          catchError((error: unknown) => of(AvailabilityApiEvents.changeFailed({ problem: toAvailabilityProblem(error) }))),
        ),
      ),
    );
  },
  { functional: true },
);

/** `agent.availability` and `agent.reachability` from the real-time channel (open only while signed in). */
export const availabilityLiveEvents = createEffect(
  (live = inject(AVAILABILITY_LIVE_EVENTS_PORT, { optional: true })) => {
    if (!live) return EMPTY;
    return merge(
      live.availabilityChanges().pipe(map((event) => AvailabilityLiveEvents.availabilityChanged({ event }))),
      live.reachabilityChanges().pipe(map((reachability) => AvailabilityLiveEvents.reachabilityChanged({ reachability }))),
    );
  },
  { functional: true },
);

export const availabilityEffects = { loadAvailability, saveChosenAvailability, availabilityLiveEvents };
