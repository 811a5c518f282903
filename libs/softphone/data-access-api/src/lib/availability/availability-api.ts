import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { type EnvironmentProviders, Injectable, inject, makeEnvironmentProviders } from '@angular/core';
import {
  API_ROUTES,
  type AgentAvailability,
  type AvailabilityHistoryResponse,
  type AvailabilityResponse,
  type PresenceReport,
  type PresenceResponse,
  type SetAvailabilityRequest,
} from '@switchboard/shared-contracts';
import {
  AVAILABILITY_LIVE_EVENTS_PORT,
  AVAILABILITY_PORT,
  PRESENCE_PORT,
  type AvailabilityPort,
  type AvailabilityProblem,
  type PresencePort,
} from '@switchboard/softphone-data-access-availability';
import { catchError, throwError, type Observable } from 'rxjs';
import { NETWORK_ERROR_STATUS, toApiErrorBody } from '../http/api-error';
import { AvailabilityLiveEventsOverSse } from './availability-live-events';

/** What the agent should do after each refusal of the availability routes; the API's sentence says what happened. */
const NEXT_STEP_BY_STATUS: Readonly<Record<number, string>> = {
  [NETWORK_ERROR_STATUS]: 'Check your network connection and try again.',
  400: 'Check your choice and try again.',
  401: 'Sign in again.',
  404: 'Ask your administrator to check your agent account.',
  409: 'Wait for the current call or wrap-up to end, then choose again.',
};

/** Any error of an availability or presence request as what happened and what to do. */
export function toAvailabilityProblemFromHttp(error: unknown): AvailabilityProblem {
  const status = error instanceof HttpErrorResponse ? error.status : -1;
  return {
    message: toApiErrorBody(error).message,
    nextStep: NEXT_STEP_BY_STATUS[status] ?? 'Try again. If it keeps failing, tell your administrator.',
  };
}

function mapped<T>(request: Observable<T>): Observable<T> {
  return request.pipe(catchError((error: unknown) => throwError(() => toAvailabilityProblemFromHttp(error))));
}

/** `GET/PUT /api/availability` and `GET /api/availability/history` with the session cookie. */
@Injectable({ providedIn: 'root' })
export class AvailabilityApi implements AvailabilityPort {
  private readonly http = inject(HttpClient);

  load(): Observable<AvailabilityResponse> {
    return mapped(this.http.get<AvailabilityResponse>(API_ROUTES.availability));
  }

  choose(request: SetAvailabilityRequest): Observable<AgentAvailability> {
    return mapped(this.http.put<AgentAvailability>(API_ROUTES.availability, request));
  }

  history(limit?: number): Observable<AvailabilityHistoryResponse> {
    const params = limit === undefined ? undefined : new HttpParams().set('limit', limit);
    return mapped(this.http.get<AvailabilityHistoryResponse>(API_ROUTES.availabilityHistory, { params }));
  }
}

/** The fetch the keepalive report goes through; a test gives its own. */
export type KeepaliveFetch = (url: string, init: RequestInit) => Promise<unknown>;

/**
 * `PUT /api/presence`. The keepalive variant bypasses HttpClient on purpose: only `fetch(…, { keepalive })`
 * is allowed to outlive the page, and it must be started synchronously inside `freeze` / `pagehide`.
 */
@Injectable({ providedIn: 'root' })
export class PresenceApi implements PresencePort {
  private readonly http = inject(HttpClient);
  /** Overridable for specs; the global fetch otherwise (bound, so it keeps its `this`). */
  fetchForKeepalive: KeepaliveFetch = (url, init) => globalThis.fetch(url, init);

  report(report: PresenceReport): Observable<PresenceResponse> {
    return mapped(this.http.put<PresenceResponse>(API_ROUTES.presence, report));
  }

  reportBeforeLeaving(report: PresenceReport): void {
    try {
      this.fetchForKeepalive(API_ROUTES.presence, {
        method: 'PUT',
        keepalive: true,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(report),
      }).catch(() => undefined); // nobody is left to hear a failure; the missed heartbeat says it anyway
    } catch {
      // A browser that refuses the request outright (quota of keepalive bodies): same as a failure.
    }
  }
}

/** Binds the availability slice to the API: its routes, the presence reports, and its live events over `/api/events`. */
export function provideAvailabilityApi(): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: AVAILABILITY_PORT, useExisting: AvailabilityApi },
    { provide: PRESENCE_PORT, useExisting: PresenceApi },
    { provide: AVAILABILITY_LIVE_EVENTS_PORT, useExisting: AvailabilityLiveEventsOverSse },
  ]);
}
