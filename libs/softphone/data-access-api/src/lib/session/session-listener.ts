import { InjectionToken } from '@angular/core';
import type { AgentProfile, VoiceTokenResponse } from '@switchboard/shared-contracts';

/**
 * Told when the agent's session starts or ends, so the phone can connect or disconnect without
 * this library knowing how the phone is built. The app binds it (see `provideVoiceSession`).
 */
export interface SessionListener {
  /** Sign in was pressed, before the request: work that does not need the session can start beside it. */
  signingIn?(): void;
  /** That sign-in was refused or failed: undo what signingIn started. */
  signInFailed?(): void;
  /**
   * `voiceToken`: the first voice token when the sign-in answer carried one (never on a restore from the
   * cookie). Kept in memory only, by whoever takes it: it is a credential.
   */
  signedIn(agent: AgentProfile, voiceToken?: VoiceTokenResponse): void;
  signedOut(): void;
}

export const SESSION_LISTENER = new InjectionToken<SessionListener>('SESSION_LISTENER');
