import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store, type Action } from '@ngrx/store';
import {
  backoffDelayMs,
  describeAppError,
  describeVoiceError,
  isTokenError,
  needsHumanAction,
  shouldDeferTokenRefresh,
  tokenRefreshDelayMs,
  type DeviceEvent,
} from '@switchboard/shared-voice-model';
import {
  EMPTY,
  catchError,
  concat,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  ignoreElements,
  map,
  of,
  race,
  scan,
  switchMap,
  take,
  takeUntil,
  tap,
  throwError,
  timeout,
  timer,
  withLatestFrom,
  type Observable,
} from 'rxjs';
import { audioDevicesFeature } from '../audio-devices/audio-devices.feature';
import { callFeature } from '../call/call.feature';
import { PAGE_LIFECYCLE, type PageLifecycleEvent } from '../ports/page-lifecycle';
import { VOICE_PORT } from '../ports/voice-port';
import { VOICE_TOKEN_SOURCE } from '../ports/voice-token-source';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions, SoftphoneSettingsActions } from '../softphone-panel.actions';
import { toVoiceError } from '../to-voice-error';
import { VOICE_CLOCK, VOICE_STATE_CONFIG, type VoiceClock } from '../voice-state.config';
import { TAB_LEADERSHIP } from '../ports/tab-leadership';
import { connectionFeature } from './connection.feature';
import { DeviceSdkEvents } from './device-sdk.actions';
import { VoiceRegistrationEvents } from './registration.actions';
import { TabLeadershipEvents } from './tab-leadership.actions';
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

const REGISTRATION_TIMEOUT = Symbol('registration-timeout');

/**
 * Getting online: (microphone answered) → fresh token → register, watched by a deadline.
 * Starts when this tab gets the phone (after sign-in, see electPhoneTab), on "Try again", a due
 * retry, and a refused token (20101/20104/31204/31205). switchMap: a newer start supersedes an
 * older one; sign-out, or another tab taking the phone, cancels whatever is in flight.
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
    const connect$ = microphoneAnswered$.pipe(
      // Permission first: the Device must not be created before the microphone question is settled.
      switchMap(() => tokens.issue()),
      take(1),
      switchMap((response) =>
        concat(
          of(VoiceTokenApiEvents.issued({ identity: response.identity, expiresAt: response.expiresAt })),
          voice.register(response.token).pipe(
            timeout({ first: config.registrationTimeoutMs, with: () => throwError(() => REGISTRATION_TIMEOUT) }),
            ignoreElements(),
            catchError((error: unknown) => {
              if (error === REGISTRATION_TIMEOUT) {
                return store.select(callFeature.selectHasLiveCall).pipe(
                  take(1),
                  map((hasLiveCall) => {
                    // A register() stuck in CONNECTING never heals (twilio-voice.js#445): start over,
                    // but never during a call: destroying the Device would hang it up.
                    if (!hasLiveCall) safely(() => voice.destroy());
                    return VoiceRegistrationEvents.timedOut({ error: describeAppError('RegistrationTimeout') });
                  }),
                );
              }
              return of(VoiceRegistrationEvents.failed({ error: toVoiceError(error, 'DeviceSetupFailed') }));
            }),
          ),
        ),
      ),
      catchError((error: unknown) => of(VoiceTokenApiEvents.issueFailed({ error: toVoiceError(error, 'TokenFetchFailed') }))),
    );
    const stops = new Set<string>([SessionEvents.signedOut.type, TabLeadershipEvents.lost.type]);
    return actions$.pipe(
      ofType(
        TabLeadershipEvents.gained,
        TabLeadershipEvents.lost,
        SessionEvents.signedOut,
        SoftphonePanelActions.reconnectClicked,
        VoiceRegistrationEvents.retryDue,
        DeviceSdkEvents.failed,
      ),
      filter((action) => action.type !== DeviceSdkEvents.failed.type || isTokenError((action as ReturnType<typeof DeviceSdkEvents.failed>).error)),
      withLatestFrom(store.select(connectionFeature.selectPhase)),
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
        VoiceRegistrationEvents.checkFailed,
        VoiceTokenApiEvents.issueFailed,
        DeviceSdkEvents.unregistered,
      ),
      filter((action) => !('error' in action) || !needsHumanAction(action.error)),
      withLatestFrom(store.select(connectionFeature.selectRetry), store.select(connectionFeature.selectPhase)),
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
      ofType(DeviceSdkEvents.tokenWillExpire, VoiceRegistrationEvents.tokenRefreshDue),
      exhaustMap(() =>
        store.select(connectionFeature.selectConnectionState).pipe(
          take(1),
          withLatestFrom(store.select(callFeature.selectHasLiveCall)),
          switchMap(([connection, hasLiveCall]) => {
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
      withLatestFrom(store.select(connectionFeature.selectTokenExpiresAt)),
      switchMap(([action, expiresAt]) => {
        if (action.type === SessionEvents.signedOut.type || action.type === TabLeadershipEvents.lost.type) return EMPTY;
        if (action.type === VoiceTokenApiEvents.refreshFailed.type) {
          return timer(backoffDelayMs(1, config.backoff, config.random)).pipe(map(() => VoiceRegistrationEvents.tokenRefreshDue()));
        }
        const expiresAtMs = expiresAt ? Date.parse(expiresAt) : NaN;
        if (!Number.isFinite(expiresAtMs)) return EMPTY;
        // A little earlier than "near expiry", so a deferred refresh still has room; a token shorter
        // than that lead is refreshed at mid-life (not at once, in a loop).
        const dueInMs = tokenRefreshDelayMs({ expiresAtMs, nowMs: clock.now(), leadMs: 2 * config.tokenNearExpiryMs });
        return timer(dueInMs).pipe(map(() => VoiceRegistrationEvents.tokenRefreshDue()));
      }),
    );
  },
  { functional: true },
);

/** Hidden for at least this long: the registration may be silently gone (reliability.md §4.6). */
export const LONG_HIDDEN_MS = 60_000;

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
        (acc: { event: PageLifecycleEvent; hiddenSince: number | null; isWorthChecking: boolean }, event: PageLifecycleEvent) => {
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
      withLatestFrom(store.select(connectionFeature.selectPhase)),
      filter(([, phase]) => phase === 'registered' || phase === 'unregistered' || phase === 'destroyed' || phase === 'error'),
      map(([{ event }]) => VoiceRegistrationEvents.checkRequested({ reason: event })),
    );
  },
  { functional: true },
);

export const runRegistrationCheck = createEffect(
  (actions$ = inject(Actions), store = inject(Store), voice = inject(VOICE_PORT), config = inject(VOICE_STATE_CONFIG)) => {
    return actions$.pipe(
      ofType(VoiceRegistrationEvents.checkRequested),
      withLatestFrom(store.select(connectionFeature.selectConnectionState)),
      exhaustMap(([, connection]): Observable<Action> => {
        if (connection.phase === 'destroyed' || (connection.phase === 'error' && connection.error !== null && !needsHumanAction(connection.error))) {
          return of(VoiceRegistrationEvents.retryDue());
        }
        if (connection.phase === 'error') return EMPTY;
        return voice.refreshRegistration().pipe(
          timeout({ first: config.registrationTimeoutMs, with: () => throwError(() => REGISTRATION_TIMEOUT) }),
          ignoreElements(),
          catchError((error: unknown) =>
            of(
              VoiceRegistrationEvents.checkFailed({
                error: error === REGISTRATION_TIMEOUT ? describeAppError('RegistrationTimeout') : toVoiceError(error, 'DeviceSetupFailed'),
              }),
            ),
          ),
        );
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
      map(() => VoiceRegistrationEvents.deviceTornDown()),
    );
  },
  { functional: true },
);

/**
 * One phone per browser: from sign-in to sign-out this tab takes part in the election between
 * Switchboard tabs (ports/tab-leadership.ts); sign-out leaves it, so another tab can take over.
 */
export const electPhoneTab = createEffect(
  (actions$ = inject(Actions), leadership = inject(TAB_LEADERSHIP)) => {
    return actions$.pipe(
      ofType(SessionEvents.signedIn, SessionEvents.signedOut),
      switchMap((action) =>
        action.type === SessionEvents.signedOut.type
          ? EMPTY
          : leadership.role$.pipe(
              distinctUntilChanged(),
              map((role) => (role === 'leader' ? TabLeadershipEvents.gained() : TabLeadershipEvents.lost())),
            ),
      ),
    );
  },
  { functional: true },
);

/** "Use this tab": take the phone from the tab that has it. */
export const takeOverPhone = createEffect(
  (actions$ = inject(Actions), leadership = inject(TAB_LEADERSHIP)) => {
    return actions$.pipe(
      ofType(SoftphonePanelActions.useThisTabClicked),
      tap(() => leadership.takeOver()),
    );
  },
  { functional: true, dispatch: false },
);

/**
 * Another tab has the phone: let this tab's Device go so that calls ring there only, but only once
 * no call is live here (destroying the Device would hang it up).
 */
export const releaseDeviceInStandby = createEffect(
  (actions$ = inject(Actions), store = inject(Store), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(TabLeadershipEvents.lost, TabLeadershipEvents.gained, SessionEvents.signedOut),
      switchMap((action) =>
        action.type !== TabLeadershipEvents.lost.type
          ? EMPTY
          : store.select(callFeature.selectHasLiveCall).pipe(
              filter((live) => !live),
              take(1),
              tap(() => safely(() => voice.destroy())),
              map(() => VoiceRegistrationEvents.deviceTornDown()),
            ),
      ),
    );
  },
  { functional: true },
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

/** Run a command whose failure must not take the effect down with it. */
export function safely(command: () => void): void {
  try {
    command();
  } catch {
    // The SDK throws InvalidStateError for commands on a destroyed Device; nothing to undo.
  }
}

export const connectionEffects = {
  deviceEventsToActions,
  connectOnDemand,
  retryWithBackoff,
  refreshTokenBeforeExpiry,
  scheduleTokenRefresh,
  checkRegistrationOnPageEvents,
  runRegistrationCheck,
  destroyDeviceOnSignOut,
  electPhoneTab,
  takeOverPhone,
  releaseDeviceInStandby,
  applyLogLevel,
};
