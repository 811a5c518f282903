import { InjectionToken } from '@angular/core';
import type { VoiceTokenResponse } from '@switchboard/shared-contracts';
import type { Observable } from 'rxjs';

/** Issues voice access tokens for the signed-in agent. data-access-api implements it over HTTP. */
export interface VoiceTokenSource {
  issue(): Observable<VoiceTokenResponse>;
}

export const VOICE_TOKEN_SOURCE = new InjectionToken<VoiceTokenSource>('VOICE_TOKEN_SOURCE');
