import { createFeature, createReducer, createSelector, on } from '@ngrx/store';
import {
  CONNECTION_TRANSITIONS,
  appendCapped,
  isOnline,
  isRecovering,
  isTokenError,
  needsHumanAction,
  type ConnectionPhase,
  type RefusedMove,
  type VoiceErrorInfo,
  type VoiceLogLevel,
} from '@switchboard/shared-voice-model';
import type { Action } from '@ngrx/store';
import { applyMove } from '../apply-move';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { DeviceSdkEvents } from './device-sdk.actions';
import { PageCheckEvents } from './page-checks.actions';
import { VoiceRegistrationEvents } from './registration.actions';
import { TabLeadershipEvents } from './tab-leadership.actions';
import { TokenRefreshTimerEvents } from './token-refresh.actions';
import { VoiceTokenApiEvents } from './voice-token-api.actions';

export type TokenRefreshStatus = 'idle' | 'pending' | 'deferred' | 'failed';

export interface RecordedVoiceError {
  readonly error: VoiceErrorInfo;
  readonly at: number;
}

export interface ConnectionState {
  readonly phase: ConnectionPhase;
  readonly identity: string | null;
  readonly displayName: string | null;
  /** ISO instant the current token expires; the token itself never enters the store. */
  readonly tokenExpiresAt: string | null;
  readonly tokenRefresh: TokenRefreshStatus;
  readonly tokenRefreshError: VoiceErrorInfo | null;
  /** Why the phone is not online (shown with its next step); null when all is well. */
  readonly error: VoiceErrorInfo | null;
  /** The next automatic retry, while recovering. */
  readonly retry: { readonly attempt: number; readonly delayMs: number } | null;
  /** Last errors, newest last, for diagnostics. */
  readonly recentErrors: readonly RecordedVoiceError[];
  readonly sdkVersion: string | null;
  readonly edge: string | null;
  readonly logLevel: VoiceLogLevel | null;
  /** The last move the table refused (an out-of-order event or a bug). */
  readonly rejected: RefusedMove<ConnectionPhase> | null;
}

export const initialConnectionState: ConnectionState = {
  phase: 'signed-out',
  identity: null,
  displayName: null,
  tokenExpiresAt: null,
  tokenRefresh: 'idle',
  tokenRefreshError: null,
  error: null,
  retry: null,
  recentErrors: [],
  sdkVersion: null,
  edge: null,
  logLevel: null,
  rejected: null,
};

export const RECENT_ERRORS_CAPACITY = 10;

function moveTo(state: ConnectionState, to: ConnectionPhase, action: Action, patch: Partial<ConnectionState> = {}): ConnectionState {
  const move = applyMove(CONNECTION_TRANSITIONS, state.phase, to, action.type);
  return move.allowed ? { ...state, ...patch, phase: to, rejected: null } : { ...state, rejected: move.refused };
}

/**
 * A move asked for by the Device or the retry machinery. In standby another tab has the phone and
 * this tab's Device is being let go: such facts move nothing (only TabLeadershipEvents.gained does).
 */
function moveUnlessStandby(state: ConnectionState, to: ConnectionPhase, action: Action, patch: Partial<ConnectionState> = {}): ConnectionState {
  return state.phase === 'standby' ? state : moveTo(state, to, action, patch);
}

/** A failure while getting online: retried (unregistered) unless a human must act (error). */
function registrationFailed(state: ConnectionState, error: VoiceErrorInfo, action: Action, at: number | null): ConnectionState {
  const recentErrors = at === null ? state.recentErrors : appendCapped(state.recentErrors, { error, at }, RECENT_ERRORS_CAPACITY);
  return moveTo(state, needsHumanAction(error) ? 'error' : 'unregistered', action, { error, recentErrors });
}

export const connectionFeature = createFeature({
  name: 'connection',
  reducer: createReducer(
    initialConnectionState,
    on(SessionEvents.signedIn, (state, action): ConnectionState =>
      moveTo(state, 'fetching-token', action, {
        identity: action.agent.identity,
        displayName: action.agent.displayName,
        error: null,
        retry: null,
      }),
    ),
    on(SessionEvents.signedOut, (state): ConnectionState => ({ ...initialConnectionState, logLevel: state.logLevel })),
    on(SoftphonePanelActions.reconnectClicked, VoiceRegistrationEvents.retryDue, PageCheckEvents.reconnectNeeded, (state, action): ConnectionState =>
      moveUnlessStandby(state, 'fetching-token', action),
    ),
    on(TabLeadershipEvents.lost, (state, action): ConnectionState => moveTo(state, 'standby', action, { error: null, retry: null })),
    on(TabLeadershipEvents.gained, (state, action): ConnectionState =>
      // Right after sign-in the phase is already fetching-token; from standby, go get online.
      state.phase === 'standby' ? moveTo(state, 'fetching-token', action) : state,
    ),
    on(VoiceTokenApiEvents.issued, (state, action): ConnectionState => {
      const patch = { tokenExpiresAt: action.expiresAt, identity: action.identity };
      // The Device may report registering/registered before this action is reduced (effects
      // dispatch re-entrantly; the SDK emits 'registering' synchronously inside register()).
      if (state.phase === 'registering' || state.phase === 'registered') return { ...state, ...patch };
      return moveTo(state, 'registering', action, patch);
    }),
    on(VoiceTokenApiEvents.issueFailed, (state, action): ConnectionState => registrationFailed(state, action.error, action, null)),
    on(DeviceSdkEvents.created, (state, { sdkVersion }): ConnectionState => ({ ...state, sdkVersion })),
    on(DeviceSdkEvents.registering, (state, action): ConnectionState => moveUnlessStandby(state, 'registering', action)),
    on(DeviceSdkEvents.registered, (state, action): ConnectionState =>
      moveUnlessStandby(state, 'registered', action, { error: null, retry: null, edge: action.edge ?? state.edge }),
    ),
    on(DeviceSdkEvents.unregistered, (state, action): ConnectionState => moveUnlessStandby(state, 'unregistered', action)),
    on(DeviceSdkEvents.destroyed, (state, action): ConnectionState => moveUnlessStandby(state, 'destroyed', action)),
    on(DeviceSdkEvents.failed, (state, action): ConnectionState => {
      const recentErrors = appendCapped(state.recentErrors, { error: action.error, at: action.at }, RECENT_ERRORS_CAPACITY);
      if (state.phase === 'standby') return { ...state, recentErrors };
      if (isTokenError(action.error)) return moveTo(state, 'fetching-token', action, { error: action.error, recentErrors });
      if (action.error.category === 'configuration') return moveTo(state, 'error', action, { error: action.error, recentErrors });
      // Signaling hiccups, media and call errors: the SDK recovers or the call slice shows them.
      return { ...state, recentErrors };
    }),
    on(VoiceRegistrationEvents.timedOut, VoiceRegistrationEvents.failed, PageCheckEvents.failed, (state, action): ConnectionState =>
      registrationFailed(state, action.error, action, null),
    ),
    on(VoiceRegistrationEvents.retryScheduled, (state, { attempt, delayMs }): ConnectionState => ({ ...state, retry: { attempt, delayMs } })),
    on(DeviceSdkEvents.tokenWillExpire, TokenRefreshTimerEvents.due, (state): ConnectionState => ({
      ...state,
      tokenRefresh: 'pending',
    })),
    on(VoiceTokenApiEvents.refreshDeferred, (state): ConnectionState => ({ ...state, tokenRefresh: 'deferred' })),
    on(VoiceTokenApiEvents.refreshed, (state, { expiresAt }): ConnectionState => ({
      ...state,
      tokenRefresh: 'idle',
      tokenRefreshError: null,
      tokenExpiresAt: expiresAt,
    })),
    on(VoiceTokenApiEvents.refreshFailed, (state, { error }): ConnectionState => ({
      ...state,
      tokenRefresh: 'failed',
      tokenRefreshError: error,
    })),
    on(VoiceRegistrationEvents.logLevelApplied, (state, { level }): ConnectionState => ({ ...state, logLevel: level })),
  ),
  extraSelectors: ({ selectPhase }) => ({
    selectIsOnline: createSelector(selectPhase, isOnline),
    selectIsRecovering: createSelector(selectPhase, isRecovering),
    selectIsSignedIn: createSelector(selectPhase, (phase) => phase !== 'signed-out'),
  }),
});
