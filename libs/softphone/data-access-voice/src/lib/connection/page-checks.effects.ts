import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store, type Action } from '@ngrx/store';
import { describeAppError, needsHumanAction } from '@switchboard/shared-voice-model';
import { EMPTY, catchError, exhaustMap, filter, ignoreElements, map, of, scan, type Observable } from 'rxjs';
import { PAGE_LIFECYCLE, type PageLifecycleEvent } from '../ports/page-lifecycle';
import { VOICE_PORT } from '../ports/voice-port';
import { toVoiceError } from '../to-voice-error';
import { VOICE_CLOCK, VOICE_STATE_CONFIG } from '../voice-state.config';
import { connectionFeature } from './connection.feature';
import { PageCheckEvents } from './page-checks.actions';
import { isRegistrationTimeout, withinRegistrationDeadline } from './registration-deadline';

/** Hidden for at least this long: the registration may be silently gone (reliability.md §4.6). */
export const LONG_HIDDEN_MS = 60_000;

interface PageWatch {
  readonly event: PageLifecycleEvent;
  readonly hiddenSince: number | null;
  readonly isWorthChecking: boolean;
}

/**
 * Page lifecycle → registration checks (R8): after `resume` (the tab was frozen), a back/forward
 * cache restore, `online`, or becoming visible after a long time hidden. A frozen or throttled
 * tab can lose its registration without any event, so these re-register rather than trust
 * `device.state`. Short tab switches are left alone.
 */
export const checkRegistrationOnPageEvents = createEffect(
  (pageLifecycle = inject(PAGE_LIFECYCLE), store = inject(Store), clock = inject(VOICE_CLOCK)) => {
    return pageLifecycle.events$.pipe(
      scan(
        (acc: PageWatch, event: PageLifecycleEvent): PageWatch => {
          const now = clock.now();
          if (event === 'hidden' || event === 'freeze') return { event, hiddenSince: acc.hiddenSince ?? now, isWorthChecking: false };
          if (event === 'visible') {
            const wasLongHidden = acc.hiddenSince !== null && now - acc.hiddenSince >= LONG_HIDDEN_MS;
            return { event, hiddenSince: null, isWorthChecking: wasLongHidden };
          }
          if (event === 'offline') return { event, hiddenSince: acc.hiddenSince, isWorthChecking: false };
          return { event, hiddenSince: event === 'resume' ? null : acc.hiddenSince, isWorthChecking: true };
        },
        { event: 'online', hiddenSince: null, isWorthChecking: false },
      ),
      filter(({ isWorthChecking }) => isWorthChecking),
      concatLatestFrom(() => store.select(connectionFeature.selectPhase)),
      filter(([, phase]) => phase === 'registered' || phase === 'unregistered' || phase === 'destroyed' || phase === 'error'),
      map(([{ event }]) => PageCheckEvents.requested({ reason: event })),
    );
  },
  { functional: true },
);

/** Re-registers the Device under the watchdog; a Device that is gone (or failed, retriably) is rebuilt instead. */
export const runRegistrationCheck = createEffect(
  (actions$ = inject(Actions), store = inject(Store), voice = inject(VOICE_PORT), config = inject(VOICE_STATE_CONFIG)) => {
    return actions$.pipe(
      ofType(PageCheckEvents.requested),
      concatLatestFrom(() => store.select(connectionFeature.selectConnectionState)),
      exhaustMap(([, connection]): Observable<Action> => {
        if (connection.phase === 'destroyed' || (connection.phase === 'error' && connection.error !== null && !needsHumanAction(connection.error))) {
          return of(PageCheckEvents.reconnectNeeded());
        }
        if (connection.phase === 'error') return EMPTY;
        return voice.refreshRegistration().pipe(
          withinRegistrationDeadline(config.registrationTimeoutMs),
          ignoreElements(),
          catchError((error: unknown) =>
            of(
              PageCheckEvents.failed({
                error: isRegistrationTimeout(error) ? describeAppError('RegistrationTimeout') : toVoiceError(error, 'DeviceSetupFailed'),
              }),
            ),
          ),
        );
      }),
    );
  },
  { functional: true },
);

export const pageCheckEffects = { checkRegistrationOnPageEvents, runRegistrationCheck };
