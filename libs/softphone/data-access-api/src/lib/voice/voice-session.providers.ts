import { type EnvironmentProviders, Injectable, inject, makeEnvironmentProviders } from '@angular/core';
import { Store } from '@ngrx/store';
import type { AgentProfile, VoiceTokenResponse } from '@switchboard/shared-contracts';
import { SessionEvents, VOICE_TOKEN_SOURCE, type VoiceTokenSource } from '@switchboard/softphone-data-access-voice';
import type { Observable } from 'rxjs';
import { VoiceTokenApi } from '../http/switchboard-api';
import { SESSION_LISTENER, type SessionListener } from '../session/session-listener';
import { VoicemailInboxStore } from '../voicemail/voicemail-inbox.store';

/** The voice state's token port, over `POST /api/voice/token` with the session cookie. */
@Injectable({ providedIn: 'root' })
export class HttpVoiceTokenSource implements VoiceTokenSource {
  private readonly api = inject(VoiceTokenApi);

  issue(): Observable<VoiceTokenResponse> {
    return this.api.fetchToken();
  }
}

/** Session start/end become the voice state's `SessionEvents`, so the phone connects and disconnects with it. */
@Injectable({ providedIn: 'root' })
export class VoiceSessionListener implements SessionListener {
  private readonly store = inject(Store);
  private readonly voicemails = inject(VoicemailInboxStore);

  signedIn(agent: AgentProfile): void {
    this.store.dispatch(SessionEvents.signedIn({ agent: { identity: agent.identity, displayName: agent.displayName } }));
    void this.voicemails.load();
  }

  signedOut(): void {
    this.store.dispatch(SessionEvents.signedOut());
    this.voicemails.clear();
  }
}

/** Binds the session and the token source to the voice state (`provideVoiceState` from data-access-voice). */
export function provideVoiceSession(): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: VOICE_TOKEN_SOURCE, useExisting: HttpVoiceTokenSource },
    { provide: SESSION_LISTENER, useExisting: VoiceSessionListener },
  ]);
}
