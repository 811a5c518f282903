import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store, type Action } from '@ngrx/store';
import { backoffDelayMs, describeAppError, describeVoiceError, isTokenError, needsHumanAction, type DeviceEvent } from '@switchboard/shared-voice-model';
import type { VoiceTokenResponse } from '@switchboard/shared-contracts';
import { EMPTY, ReplaySubject, catchError, concat, defer, filter, forkJoin, ignoreElements, map, of, switchMap, take, takeUntil, tap, timer, type Observable } from 'rxjs';
import { audioDevicesFeature } from '../audio-devices/audio-devices.feature';
import { callFeature } from '../call/call.feature';
import { VOICE_PORT } from '../ports/voice-port';
import { VOICE_TOKEN_SOURCE } from '../ports/voice-token-source';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions, SoftphoneSettingsActions } from '../softphone-panel.actions';
import { toVoiceError } from '../to-voice-error';
import { VOICE_CLOCK, VOICE_STATE_CONFIG, type VoiceClock } from '../voice-state.config';
import { connectionFeature } from './connection.feature';
import { DeviceSdkEvents } from './device-sdk.actions';
import { PageCheckEvents } from './page-checks.actions';
import { isRegistrationTimeout, safely, withinRegistrationDeadline } from './registration-deadline';
import { VoiceRegistrationEvents } from './registration.actions';
import { TabLeadershipEvents } from './tab-leadership.actions';
import { markTiming } from './timing-marks';
import { VoiceTokenApiEvents } from './voice-token-api.actions';

/** The one place that names each Device fact as an action; exhaustive over the union. */
export function toConnectionAction(event: DeviceEvent, clock: VoiceClock): Action {
  switch (event.kind) {
    case 'created':
      return DeviceSdkEvents.created({ sdkVersion: event.sdkVersion });
    case 'registering':
      return DeviceSdkEvents.registering();
    case 'registered':
      return DeviceSdkEvents.registered({ edge: event.edge });
    case 'unregistered':
      return DeviceSdkEvents.unregistered();
    case 'destroyed':
      return DeviceSdkEvents.destroyed();
    case 'token-will-expire':
      return DeviceSdkEvents.tokenWillExpire();
    case 'error':
      return DeviceSdkEvents.failed({ error: describeVoiceError(event.code, event.message), at: clock.now() });
  }
}

export const deviceEventsToActions = createEffect(
  (voice = inject(VOICE_PORT), clock = inject(VOICE_CLOCK)) => {
    return voice.deviceEvents$.pipe(map((event) => toConnectionAction(event, clock)));
  },
  { functional: true },
);

/**
 * Getting online: (microphone answered, with a fresh token fetched meanwhile; at sign-in, the one the sign-in answer
 * carried, else asked at once) → register, watched by a deadline.
 * Starts when this tab gets the phone (after sign-in, see electPhoneTab), on "Try again", a due
 * retry, a page check that found the Device gone, and a refused token (20101/20104/31204/31205).
 * switchMap: a newer start supersedes an older one; sign-out, or another tab taking the phone,
 * cancels whatever is in flight.
 */
export const connectOnDemand = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    voice = inject(VOICE_PORT),
    tokens = inject(VOICE_TOKEN_SOURCE),
    config = inject(VOICE_STATE_CONFIG),
  ) => {
    const microphoneAnswered$ = store.select(audioDevicesFeature.selectPermission).pipe(
      filter((permission) => permission === 'granted' || permission === 'denied'),
      take(1),
    );
    const fetchToken = (): Observable<VoiceTokenResponse> =>
      defer(() => {
        markTiming('sb:token-start');
        return tokens.issue();
      }).pipe(
        take(1),
        tap(() => markTiming('sb:token-end')),
      );
    // The sign-in answer carries the first token (no round trip); without one (an older API, a restored
    // session) sign-in asks for it at once, beside the microphone question and this tab's election, before
    // the first screen renders. The first connect after it takes that token (or the request's failure)
    // instead of asking again. Losing the election or signing out drops it unused.
    let prefetched: Observable<VoiceTokenResponse> | null = null;
    const token$ = defer(() => {
      const early = prefetched;
      prefetched = null;
      return early ?? fetchToken();
    });
    // The token is fetched while the microphone question is open (two waits side by side, not one after
    // the other), but the Device is still created only once that question is settled. A token that
    // expired during a long prompt is refused at register (20104) and the refused-token path fetches anew.
    const connect$ = forkJoin([microphoneAnswered$, token$]).pipe(
      map(([, response]) => response),
      switchMap((response) =>
        concat(
          of(VoiceTokenApiEvents.issued({ identity: response.identity, expiresAt: response.expiresAt })),
          voice.register(response.token).pipe(
            withinRegistrationDeadline(config.registrationTimeoutMs),
            ignoreElements(),
            catchError((error: unknown) => {
              if (!isRegistrationTimeout(error)) return of(VoiceRegistrationEvents.failed({ error: toVoiceError(error, 'DeviceSetupFailed') }));
              return store.select(callFeature.selectHasLiveCall).pipe(
                take(1),
                map((hasLiveCall) => {
                  // A register() stuck in CONNECTING never heals (twilio-voice.js#445): start over,
                  // but never during a call: destroying the Device would hang it up.
                  if (!hasLiveCall) safely(() => voice.destroy());
                  return VoiceRegistrationEvents.timedOut({ error: describeAppError('RegistrationTimeout') });
                }),
              );
            }),
          ),
        ),
      ),
      catchError((error: unknown) => of(VoiceTokenApiEvents.issueFailed({ error: toVoiceError(error, 'TokenFetchFailed') }))),
    );
    const stops = new Set<string>([SessionEvents.signedOut.type, TabLeadershipEvents.lost.type]);
    return actions$.pipe(
      ofType(
        SessionEvents.signedIn,
        TabLeadershipEvents.gained,
        TabLeadershipEvents.lost,
        SessionEvents.signedOut,
        SoftphonePanelActions.reconnectClicked,
        VoiceRegistrationEvents.retryDue,
        PageCheckEvents.reconnectNeeded,
        DeviceSdkEvents.failed,
      ),
      tap((action) => {
        if (action.type === SessionEvents.signedIn.type) {
          const carried = tokens.takeSignInToken?.() ?? null;
          if (carried) {
            markTiming('sb:token-carried');
            prefetched = of(carried);
          } else {
            const answer = new ReplaySubject<VoiceTokenResponse>(1);
            fetchToken().subscribe(answer);
            prefetched = answer.asObservable();
          }
        } else if (stops.has(action.type)) {
          prefetched = null;
        } else if (action.type === TabLeadershipEvents.gained.type) {
          markTiming('sb:phone-gained');
        }
      }),
      filter((action) => action.type !== SessionEvents.signedIn.type),
      filter((action) => action.type !== DeviceSdkEvents.failed.type || isTokenError((action as ReturnType<typeof DeviceSdkEvents.failed>).error)),
      concatLatestFrom(() => store.select(connectionFeature.selectPhase)),
      // In standby another tab has the phone: only getting it back (gained) connects this one.
      filter(([action, phase]) => phase !== 'standby' || stops.has(action.type) || action.type === TabLeadershipEvents.gained.type),
      switchMap(([action]) => (stops.has(action.type) ? EMPTY : connect$)),
    );
  },
  { functional: true },
);

/**
 * Back-off with jitter after a failure to get or stay online. If the SDK heals itself first
 * (it re-registers on reconnect), `registered` cancels the pending retry.
 */
export const retryWithBackoff = createEffect(
  (actions$ = inject(Actions), store = inject(Store), config = inject(VOICE_STATE_CONFIG)) => {
    const stop$ = actions$.pipe(ofType(DeviceSdkEvents.registered, SessionEvents.signedOut, TabLeadershipEvents.lost));
    return actions$.pipe(
      ofType(
        VoiceRegistrationEvents.timedOut,
        VoiceRegistrationEvents.failed,
        PageCheckEvents.failed,
        VoiceTokenApiEvents.issueFailed,
        DeviceSdkEvents.unregistered,
      ),
      filter((action) => !('error' in action) || !needsHumanAction(action.error)),
      concatLatestFrom(() => [store.select(connectionFeature.selectRetry), store.select(connectionFeature.selectPhase)]),
      filter(([, , phase]) => phase !== 'signed-out' && phase !== 'standby'),
      switchMap(([, retry]) => {
        const attempt = (retry?.attempt ?? 0) + 1;
        const delayMs = backoffDelayMs(attempt, config.backoff, config.random);
        return concat(
          of(VoiceRegistrationEvents.retryScheduled({ attempt, delayMs })),
          timer(delayMs).pipe(map(() => VoiceRegistrationEvents.retryDue())),
        ).pipe(takeUntil(stop$));
      }),
    );
  },
  { functional: true },
);

/** Sign-out destroys the Device (the SDK rejects a ringing call and hangs up a live one). */
export const destroyDeviceOnSignOut = createEffect(
  (actions$ = inject(Actions), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(SessionEvents.signedOut),
      tap(() => safely(() => voice.destroy())),
    );
  },
  // Nothing reads a "torn down" action: the reducer already reset the connection on signedOut.
  { functional: true, dispatch: false },
);

export const applyLogLevel = createEffect(
  (actions$ = inject(Actions), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(SoftphoneSettingsActions.logLevelChanged),
      switchMap(({ level }) =>
        defer(() => {
          voice.setLogLevel(level);
          return of(VoiceRegistrationEvents.logLevelApplied({ level }));
        }).pipe(catchError(() => EMPTY)),
      ),
    );
  },
  { functional: true },
);

export const registrationEffects = { deviceEventsToActions, connectOnDemand, retryWithBackoff, destroyDeviceOnSignOut, applyLogLevel };
