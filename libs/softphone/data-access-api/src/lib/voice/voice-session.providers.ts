import { type EnvironmentProviders, Injectable, inject, makeEnvironmentProviders } from '@angular/core';
import { Store } from '@ngrx/store';
import type { AgentProfile, CheckNumberResponse, VoiceTokenResponse } from '@switchboard/shared-contracts';
import {
  MICROPHONE_ACCESS,
  NUMBER_POLICY_CHECK,
  SessionEvents,
  TAB_LEADERSHIP,
  VOICE_TOKEN_SOURCE,
  type NumberPolicyCheck,
  type VoiceTokenSource,
} from '@switchboard/softphone-data-access-voice';
import type { Observable } from 'rxjs';
import { CallsApi, VoiceTokenApi } from '../http/switchboard-api';
import { SESSION_LISTENER, type SessionListener } from '../session/session-listener';
import { VoicemailInboxStore } from '../voicemail/voicemail-inbox.store';

/**
 * The voice state's token port, over `POST /api/voice/token` with the session cookie, plus the token the
 * sign-in answer carried, held in this object's memory only (never Web Storage) until the first connect takes it.
 */
@Injectable({ providedIn: 'root' })
export class HttpVoiceTokenSource implements VoiceTokenSource {
  private readonly api = inject(VoiceTokenApi);
  private signInToken: VoiceTokenResponse | null = null;

  issue(): Observable<VoiceTokenResponse> {
    return this.api.fetchToken();
  }

  /** Keeps the sign-in answer's token for takeSignInToken; null forgets one not taken (sign-out). */
  holdSignInToken(token: VoiceTokenResponse | null): void {
    this.signInToken = token;
  }

  takeSignInToken(): VoiceTokenResponse | null {
    const token = this.signInToken;
    this.signInToken = null;
    return token;
  }
}

/** The voice state's calling-policy port, over `POST /api/calls/check-number` with the session cookie. */
@Injectable({ providedIn: 'root' })
export class HttpNumberPolicyCheck implements NumberPolicyCheck {
  private readonly api = inject(CallsApi);

  check(to: string): Observable<CheckNumberResponse> {
    return this.api.checkNumber(to);
  }
}

/** Session start/end become the voice state's `SessionEvents`, so the phone connects and disconnects with it. */
@Injectable({ providedIn: 'root' })
export class VoiceSessionListener implements SessionListener {
  private readonly store = inject(Store);
  private readonly voicemails = inject(VoicemailInboxStore);
  private readonly microphone = inject(MICROPHONE_ACCESS, { optional: true });
  private readonly leadership = inject(TAB_LEADERSHIP, { optional: true });
  private readonly tokens = inject(HttpVoiceTokenSource);

  /**
   * The microphone question and the tab election start beside the sign-in request, while the page is
   * idle; the phone's check and election on signedIn take their answers (an election joined during the
   * first render waited ~100 ms for its grant).
   */
  signingIn(): void {
    this.microphone?.prepare?.();
    this.leadership?.prepare?.();
  }

  /** Undo signingIn: a refused sign-in must not keep the phone from the browser's other tabs. */
  signInFailed(): void {
    this.microphone?.discardPrepared?.();
    this.leadership?.abandon?.();
  }

  /** The sign-in answer's token, if any, is held for the first connect, which signedIn starts. */
  signedIn(agent: AgentProfile, voiceToken?: VoiceTokenResponse): void {
    this.tokens.holdSignInToken(voiceToken ?? null);
    this.store.dispatch(SessionEvents.signedIn({ agent: { identity: agent.identity, displayName: agent.displayName } }));
    void this.voicemails.load();
  }

  signedOut(): void {
    this.tokens.holdSignInToken(null);
    this.store.dispatch(SessionEvents.signedOut());
    // The election effect left on signedOut; should nothing have taken over prepare's hold, drop it too.
    this.leadership?.abandon?.();
    this.voicemails.clear();
  }
}

/** Binds the session, the token source and the number check to the voice state (`provideVoiceState` from data-access-voice). */
export function provideVoiceSession(): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: VOICE_TOKEN_SOURCE, useExisting: HttpVoiceTokenSource },
    { provide: NUMBER_POLICY_CHECK, useExisting: HttpNumberPolicyCheck },
    { provide: SESSION_LISTENER, useExisting: VoiceSessionListener },
  ]);
}
