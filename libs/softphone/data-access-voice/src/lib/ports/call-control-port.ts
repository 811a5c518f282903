import { InjectionToken } from '@angular/core';
import type {
  CallControlErrorCode,
  CallParticipantsResponse,
  ConsultAction,
  ConsultActionResponse,
  HangUpResponse,
  HoldResponse,
  RejoinableCallsResponse,
  RejoinResponse,
  TransferRequest,
  TransferResponse,
} from '@switchboard/shared-contracts';
import type { Observable } from 'rxjs';

/**
 * Why a call-control request did not happen, and what the agent can do about it. The API client
 * maps HTTP answers to this (data-access-api's CallControlApi); `network` means the API was not
 * reached, `unknown` anything else unexpected.
 */
export interface CallControlProblem {
  readonly code: CallControlErrorCode | 'network' | 'unknown';
  /** What happened, in a sentence for the agent. */
  readonly message: string;
  /** What to do next. */
  readonly nextStep: string;
}

/**
 * The call-control routes (`/api/calls/{callSid}/…`), as the voice state uses them. Every method
 * errors with a {@link CallControlProblem}. Implemented over HTTP by data-access-api; optional:
 * without it the call-control slice stays idle (no buttons are offered).
 */
export interface CallControlPort {
  participants(callSid: string): Observable<CallParticipantsResponse>;
  hold(callSid: string, hold: boolean): Observable<HoldResponse>;
  transfer(callSid: string, request: TransferRequest): Observable<TransferResponse>;
  consult(callSid: string, action: ConsultAction): Observable<ConsultActionResponse>;
  rejoin(callSid: string): Observable<RejoinResponse>;
  /** The agent's open rescues (calls they dropped out of), soonest to expire first. */
  rejoinable(): Observable<RejoinableCallsResponse>;
  /** The agent leaves an anchored call on purpose: the API takes the leg out, so no rescue follows. */
  hangUp(callSid: string): Observable<HangUpResponse>;
}

export const CALL_CONTROL_PORT = new InjectionToken<CallControlPort>('CALL_CONTROL_PORT');

export function isCallControlProblem(value: unknown): value is CallControlProblem {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['code'] === 'string' && typeof record['message'] === 'string' && typeof record['nextStep'] === 'string';
}

/** Whatever a port observable errored with, as a problem the agent can read. */
export function toCallControlProblem(error: unknown): CallControlProblem {
  if (isCallControlProblem(error)) return error;
  return {
    code: 'unknown',
    message: 'Switchboard could not do that on this call.',
    nextStep: 'Try again. If it keeps failing, tell your administrator.',
  };
}
