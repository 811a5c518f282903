import { computed, inject } from '@angular/core';
import { patchState, signalStore, withComputed, withMethods, withState } from '@ngrx/signals';
import type { AgentProfile, ApiErrorBody, LoginRequest, VoiceTokenResponse } from '@switchboard/shared-contracts';
import { firstValueFrom } from 'rxjs';
import { retryAfterSecondsOf, toApiErrorBody, TOO_MANY_REQUESTS_STATUS } from '../http/api-error';
import { AuthApi } from '../http/switchboard-api';
import { SESSION_LISTENER } from './session-listener';

/**
 * Where the agent's session stands. `unknown` is the state before anyone asked the API (page load);
 * the guard restores from the cookie before deciding.
 */
export type SessionStatus = 'unknown' | 'restoring' | 'signed-out' | 'signing-in' | 'signed-in' | 'signing-out';

export interface SessionState {
  readonly status: SessionStatus;
  readonly agent: AgentProfile | null;
  /** Why the last sign-in or restore failed, in the API's words. */
  readonly error: ApiErrorBody | null;
  /**
   * When the API refused a sign-in with 429: the moment (epoch ms, this browser's clock) its Retry-After
   * ends, before which another attempt is refused again. Null otherwise.
   */
  readonly signInRetryAt: number | null;
}

const initialState: SessionState = { status: 'unknown', agent: null, error: null, signInRetryAt: null };

const UNAUTHORIZED = 401;
/** A 429 without a readable Retry-After (a proxy's, say): wait a minute, as the fallback message says. */
const DEFAULT_SIGN_IN_RETRY_SECONDS = 60;

export const SessionStore = signalStore(
  { providedIn: 'root' },
  withState(initialState),
  withComputed(({ status }) => ({
    isSignedIn: computed(() => status() === 'signed-in'),
    isBusy: computed(() => ['restoring', 'signing-in', 'signing-out'].includes(status())),
  })),
  withMethods((store, auth = inject(AuthApi), listener = inject(SESSION_LISTENER, { optional: true })) => {
    function becomeSignedIn(agent: AgentProfile, voiceToken?: VoiceTokenResponse): void {
      patchState(store, { status: 'signed-in', agent, error: null });
      listener?.signedIn(agent, voiceToken);
    }
    function becomeSignedOut(error: ApiErrorBody | null): void {
      const wasSignedIn = store.status() === 'signed-in' || store.status() === 'signing-out';
      patchState(store, { status: 'signed-out', agent: null, error });
      if (wasSignedIn) listener?.signedOut();
    }

    return {
      /** Asks the API who the cookie belongs to, once; later calls answer from state. */
      async restore(): Promise<boolean> {
        if (store.status() === 'signed-in') return true;
        if (store.status() === 'signed-out') return false;
        patchState(store, { status: 'restoring', error: null });
        try {
          becomeSignedIn(await firstValueFrom(auth.me()));
          return true;
        } catch (error) {
          const body = toApiErrorBody(error);
          // 401 is the normal "no session yet"; anything else is worth telling the agent.
          becomeSignedOut(body.statusCode === UNAUTHORIZED ? null : body);
          return false;
        }
      },

      async signIn(credentials: LoginRequest): Promise<boolean> {
        patchState(store, { status: 'signing-in', error: null, signInRetryAt: null });
        listener?.signingIn?.();
        try {
          // The token goes to the listener (the phone), never into this store's state.
          const { voiceToken, identity, displayName, role } = await firstValueFrom(auth.login(credentials));
          becomeSignedIn({ identity, displayName, role }, voiceToken);
          return true;
        } catch (error) {
          const body = toApiErrorBody(error);
          const waitSeconds = body.statusCode === TOO_MANY_REQUESTS_STATUS ? (retryAfterSecondsOf(error) ?? DEFAULT_SIGN_IN_RETRY_SECONDS) : null;
          const signInRetryAt = waitSeconds === null ? null : Date.now() + waitSeconds * 1000;
          patchState(store, { status: 'signed-out', agent: null, error: body, signInRetryAt });
          listener?.signInFailed?.();
          return false;
        }
      },

      async signOut(): Promise<void> {
        if (store.status() !== 'signed-in') return;
        patchState(store, { status: 'signing-out' });
        try {
          await firstValueFrom(auth.logout());
        } catch {
          // The cookie may already be gone; the agent still wants to be signed out here.
        }
        becomeSignedOut(null);
      },

      /** The API answered 401 to a signed-in request: the session ended elsewhere (expiry, another tab). */
      sessionExpired(): void {
        if (store.status() !== 'signed-in') return;
        becomeSignedOut({
          statusCode: UNAUTHORIZED,
          error: 'Unauthorized',
          message: 'Your session has ended. Sign in again to keep taking calls.',
        });
      },
    };
  }),
);
