import { InjectionToken } from '@angular/core';
import type { CheckNumberResponse } from '@switchboard/shared-contracts';
import type { VoiceErrorInfo } from '@switchboard/shared-voice-model';
import type { Observable } from 'rxjs';

/**
 * Asks the organisation's calling policy about a phone number before the SDK dials it, so a
 * refused number is explained instead of becoming a call that just ends. The outgoing webhook
 * still enforces the policy. data-access-api implements it over HTTP.
 */
export interface NumberPolicyCheck {
  /** Errors (network, 5xx) are reported as errors; a refusal is a normal answer. */
  check(to: string): Observable<CheckNumberResponse>;
}

export const NUMBER_POLICY_CHECK = new InjectionToken<NumberPolicyCheck>('NUMBER_POLICY_CHECK');

/** Targets that are phone numbers (digits, `+`, punctuation); `client:…` and agent names are not. */
export function isPhoneNumberTarget(to: string): boolean {
  const trimmed = to.trim();
  return !trimmed.startsWith('client:') && /\d/.test(trimmed) && /^[+\d\s().-]+$/.test(trimmed);
}

/** The policy said no: the server's sentence, and what the agent can do about it. */
export function numberRefusedError(message: string): VoiceErrorInfo {
  return {
    code: null,
    name: 'NumberRefused',
    category: 'configuration',
    message,
    nextStep: 'Check the number. If this call is needed, ask your administrator about the calling policy.',
    isRetriedAutomatically: false,
  };
}

/** The check itself could not be made: no call is placed, because the policy is unknown. */
export function numberCheckFailedError(): VoiceErrorInfo {
  return {
    code: null,
    name: 'NumberCheckFailed',
    category: 'signaling',
    message: 'Switchboard could not check this number against the calling policy, so the call was not placed.',
    nextStep: 'Check your network connection and call again.',
    isRetriedAutomatically: false,
  };
}
