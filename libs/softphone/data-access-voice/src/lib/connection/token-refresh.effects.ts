import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store } from '@ngrx/store';
import { backoffDelayMs, shouldDeferTokenRefresh, tokenRefreshDelayMs } from '@switchboard/shared-voice-model';
import { EMPTY, catchError, concat, defer, exhaustMap, filter, map, of, race, switchMap, take, takeUntil, tap, timer } from 'rxjs';
import { callFeature } from '../call/call.feature';
import { VOICE_PORT } from '../ports/voice-port';
import { VOICE_TOKEN_SOURCE } from '../ports/voice-token-source';
import { SessionEvents } from '../session.actions';
import { toVoiceError } from '../to-voice-error';
import { VOICE_CLOCK, VOICE_STATE_CONFIG } from '../voice-state.config';
import { connectionFeature } from './connection.feature';
import { DeviceSdkEvents } from './device-sdk.actions';
import { TabLeadershipEvents } from './tab-leadership.actions';
import { TokenRefreshTimerEvents } from './token-refresh.actions';
import { VoiceTokenApiEvents } from './voice-token-api.actions';

/**
 * Token refresh: one request in flight (exhaustMap), deferred while a call is live unless expiry
 * is near, failure recorded and retried. Triggered by the SDK's tokenWillExpire and by our own
 * timer (tokenWillExpire can fire only once in some flows, twilio-voice.js#93).
 */
export const refreshTokenBeforeExpiry = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    voice = inject(VOICE_PORT),
    tokens = inject(VOICE_TOKEN_SOURCE),
    config = inject(VOICE_STATE_CONFIG),
    clock = inject(VOICE_CLOCK),
  ) => {
    // defer: each refresh asks the API again (a failed request must not be replayed).
    const fetchAndApply$ = defer(() => tokens.issue()).pipe(
      take(1),
      tap(({ token }) => voice.updateToken(token)),
      map(({ expiresAt }) => VoiceTokenApiEvents.refreshed({ expiresAt })),
      catchError((error: unknown) => of(VoiceTokenApiEvents.refreshFailed({ error: toVoiceError(error, 'TokenFetchFailed') }))),
    );
    return actions$.pipe(
      ofType(DeviceSdkEvents.tokenWillExpire, TokenRefreshTimerEvents.due),
      exhaustMap((trigger) =>
        of(trigger).pipe(
          concatLatestFrom(() => [store.select(connectionFeature.selectConnectionState), store.select(callFeature.selectHasLiveCall)]),
          switchMap(([, connection, hasLiveCall]) => {
            if (connection.phase === 'signed-out' || connection.phase === 'standby') return EMPTY;
            const expiresAtMs = connection.tokenExpiresAt ? Date.parse(connection.tokenExpiresAt) : null;
            const validExpiry = expiresAtMs !== null && Number.isFinite(expiresAtMs) ? expiresAtMs : null;
            const defer$ = shouldDeferTokenRefresh({ hasLiveCall, expiresAtMs: validExpiry, nowMs: clock.now(), nearExpiryMs: config.tokenNearExpiryMs });
            if (!defer$) return fetchAndApply$;
            const untilNear = Math.max(0, (validExpiry ?? clock.now()) - clock.now() - config.tokenNearExpiryMs);
            const callEnded$ = store.select(callFeature.selectHasLiveCall).pipe(filter((live) => !live));
            return concat(
              of(VoiceTokenApiEvents.refreshDeferred()),
              race(callEnded$, timer(untilNear)).pipe(
                take(1),
                switchMap(() => fetchAndApply$),
              ),
            );
          }),
          takeUntil(actions$.pipe(ofType(SessionEvents.signedOut, TabLeadershipEvents.lost))),
        ),
      ),
    );
  },
  { functional: true },
);

/** Our own refresh timer, and the retry after a failed refresh. */
export const scheduleTokenRefresh = createEffect(
  (actions$ = inject(Actions), store = inject(Store), config = inject(VOICE_STATE_CONFIG), clock = inject(VOICE_CLOCK)) => {
    return actions$.pipe(
      ofType(VoiceTokenApiEvents.issued, VoiceTokenApiEvents.refreshed, VoiceTokenApiEvents.refreshFailed, SessionEvents.signedOut, TabLeadershipEvents.lost),
      concatLatestFrom(() => store.select(connectionFeature.selectTokenExpiresAt)),
      switchMap(([action, expiresAt]) => {
        if (action.type === SessionEvents.signedOut.type || action.type === TabLeadershipEvents.lost.type) return EMPTY;
        if (action.type === VoiceTokenApiEvents.refreshFailed.type) {
          return timer(backoffDelayMs(1, config.backoff, config.random)).pipe(map(() => TokenRefreshTimerEvents.due()));
        }
        const expiresAtMs = expiresAt ? Date.parse(expiresAt) : NaN;
        if (!Number.isFinite(expiresAtMs)) return EMPTY;
        // A little earlier than "near expiry", so a deferred refresh still has room; a token shorter
        // than that lead is refreshed at mid-life (not at once, in a loop).
        const dueInMs = tokenRefreshDelayMs({ expiresAtMs, nowMs: clock.now(), leadMs: 2 * config.tokenNearExpiryMs });
        return timer(dueInMs).pipe(map(() => TokenRefreshTimerEvents.due()));
      }),
    );
  },
  { functional: true },
);

export const tokenRefreshEffects = { refreshTokenBeforeExpiry, scheduleTokenRefresh };
