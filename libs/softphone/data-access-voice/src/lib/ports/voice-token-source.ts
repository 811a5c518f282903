import { InjectionToken } from '@angular/core';
import type { VoiceTokenResponse } from '@switchboard/shared-contracts';
import type { Observable } from 'rxjs';

/** Issues voice access tokens for the signed-in agent. data-access-api implements it over HTTP. */
export interface VoiceTokenSource {
  issue(): Observable<VoiceTokenResponse>;
  /**
   * The token the sign-in answer carried, handed over once (then null); null when it carried none (an older
   * API, or a session restored on page load). Held in memory only. The first connect after sign-in uses it
   * instead of calling issue().
   */
  takeSignInToken?(): VoiceTokenResponse | null;
}

export const VOICE_TOKEN_SOURCE = new InjectionToken<VoiceTokenSource>('VOICE_TOKEN_SOURCE');
