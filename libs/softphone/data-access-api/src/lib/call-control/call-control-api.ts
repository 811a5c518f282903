import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { type EnvironmentProviders, Injectable, inject, makeEnvironmentProviders } from '@angular/core';
import {
  API_ROUTES,
  type CallControlErrorBody,
  type CallControlErrorCode,
  type CallParticipantsResponse,
  type ConsultAction,
  type ConsultActionResponse,
  type HangUpResponse,
  type HoldRequest,
  type HoldResponse,
  type RejoinableCallsResponse,
  type RejoinResponse,
  type TransferRequest,
  type TransferResponse,
} from '@switchboard/shared-contracts';
import { CALL_CONTROL_PORT, CALL_LIVE_EVENTS_PORT, type CallControlPort, type CallControlProblem } from '@switchboard/softphone-data-access-voice';
import { catchError, throwError, type Observable } from 'rxjs';
import { NETWORK_ERROR_STATUS, toApiErrorBody } from '../http/api-error';
import { CallLiveEventsOverSse } from './call-live-events';

/** What the agent should do after each refusal; the API's own sentence says what happened. */
const NEXT_STEP: Readonly<Record<CallControlProblem['code'], string>> = {
  'not-a-participant': 'You are no longer in this call, so you cannot change it. Nothing else to do.',
  'call-gone': 'The call has already ended. Nothing else to do.',
  'target-unavailable': 'Pick another agent or ring group, or try again in a moment.',
  'number-refused': 'Check the number. If this transfer is needed, ask your administrator about the calling policy.',
  'call-cap': 'Wait before transferring to a phone number again, or transfer to an agent instead.',
  'invalid-request': 'Check what you entered and try again.',
  network: 'Check your network connection and try again.',
  unknown: 'Try again. If it keeps failing, tell your administrator.',
};

/** The status alone, for an answer without a code (a proxy, an older API). */
const CODE_BY_STATUS: Readonly<Record<number, CallControlErrorCode>> = {
  400: 'invalid-request',
  403: 'not-a-participant',
  404: 'not-a-participant',
  409: 'target-unavailable',
  410: 'call-gone',
  422: 'number-refused',
  429: 'call-cap',
};

const KNOWN_CODES = new Set<string>(Object.values(CODE_BY_STATUS));

function codeOf(error: HttpErrorResponse): CallControlProblem['code'] {
  if (error.status === NETWORK_ERROR_STATUS) return 'network';
  const body = error.error as Partial<CallControlErrorBody> | null;
  if (body && typeof body.code === 'string' && KNOWN_CODES.has(body.code)) return body.code;
  return CODE_BY_STATUS[error.status] ?? 'unknown';
}

/** Any error of a call-control request as what happened and what to do (the voice state's problem). */
export function toCallControlProblemFromHttp(error: unknown): CallControlProblem {
  const code = error instanceof HttpErrorResponse ? codeOf(error) : 'unknown';
  return { code, message: toApiErrorBody(error).message, nextStep: NEXT_STEP[code] };
}

/**
 * `POST/GET /api/calls/{callSid}/…` (hold, transfer, consult, rejoin, hang-up, participants) and `GET /api/calls/rejoinable` with the session
 * cookie; every error is thrown as a CallControlProblem.
 */
@Injectable({ providedIn: 'root' })
export class CallControlApi implements CallControlPort {
  private readonly http = inject(HttpClient);

  participants(callSid: string): Observable<CallParticipantsResponse> {
    return this.mapped(this.http.get<CallParticipantsResponse>(API_ROUTES.calls.participants(callSid)));
  }

  hold(callSid: string, hold: boolean): Observable<HoldResponse> {
    const body: HoldRequest = { hold };
    return this.mapped(this.http.post<HoldResponse>(API_ROUTES.calls.hold(callSid), body));
  }

  transfer(callSid: string, request: TransferRequest): Observable<TransferResponse> {
    return this.mapped(this.http.post<TransferResponse>(API_ROUTES.calls.transfer(callSid), request));
  }

  consult(callSid: string, action: ConsultAction): Observable<ConsultActionResponse> {
    return this.mapped(this.http.post<ConsultActionResponse>(API_ROUTES.calls.consult(callSid, action), {}));
  }

  rejoin(callSid: string): Observable<RejoinResponse> {
    return this.mapped(this.http.post<RejoinResponse>(API_ROUTES.calls.rejoin(callSid), {}));
  }

  rejoinable(): Observable<RejoinableCallsResponse> {
    return this.mapped(this.http.get<RejoinableCallsResponse>(API_ROUTES.calls.rejoinable));
  }

  hangUp(callSid: string): Observable<HangUpResponse> {
    return this.mapped(this.http.post<HangUpResponse>(API_ROUTES.calls.hangUp(callSid), {}));
  }

  private mapped<T>(request: Observable<T>): Observable<T> {
    return request.pipe(catchError((error: unknown) => throwError(() => toCallControlProblemFromHttp(error))));
  }
}

/** Binds the voice state's call control to the API: its routes, and its live call events over `/api/events`. */
export function provideCallControlApi(): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: CALL_CONTROL_PORT, useExisting: CallControlApi },
    { provide: CALL_LIVE_EVENTS_PORT, useExisting: CallLiveEventsOverSse },
  ]);
}
