import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  API_ROUTES,
  type InsightsQuery,
  type InsightsReport,
  type LineTest,
  type LineTestInput,
  type LineTestScope,
  type LineTestsResponse,
  type QualityRatingInput,
  type QualityRecordsResponse,
  type RegistrationSetupInput,
} from '@switchboard/shared-contracts';
import { map, type Observable } from 'rxjs';

/** The query string of an Insights request: only the filters that are set. */
export function insightsParams(query: InsightsQuery): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of ['from', 'to', 'agent', 'direction', 'band'] as const) {
    const value = query[key];
    if (value !== undefined && value !== '') params[key] = value;
  }
  return params;
}

/** Issue 14's routes over the session cookie: quality records, ratings, line tests, registrations, Insights. */
@Injectable({ providedIn: 'root' })
export class QualityApi {
  private readonly http = inject(HttpClient);

  /** The records of one history call the viewer may see (their own leg, or every leg for a supervisor). */
  recordsForCall(callId: string): Observable<QualityRecordsResponse> {
    return this.http.get<QualityRecordsResponse>(API_ROUTES.quality.forCall(callId));
  }

  /** Newest first; `identity` (supervisors only) asks for another agent's tests. */
  lineTests(identity?: string): Observable<LineTestsResponse> {
    const params = identity ? new HttpParams().set('identity', identity) : undefined;
    return this.http.get<LineTestsResponse>(API_ROUTES.quality.lineTests, params ? { params } : {});
  }

  /** Supervisors: each agent's newest line test, one per agent (Insights' team view). */
  teamLineTests(): Observable<LineTestsResponse> {
    return this.http.get<LineTestsResponse>(API_ROUTES.quality.lineTests, { params: new HttpParams().set('scope', 'team' satisfies LineTestScope) });
  }

  saveLineTest(input: LineTestInput): Observable<LineTest> {
    return this.http.post<LineTest>(API_ROUTES.quality.lineTests, input);
  }

  /** After each registration attempt: how long the token and the registration took, or how they failed. */
  saveRegistration(input: RegistrationSetupInput): Observable<void> {
    return this.http.post<unknown>(API_ROUTES.quality.registrations, input).pipe(map(() => undefined));
  }

  insights(query: InsightsQuery): Observable<InsightsReport> {
    return this.http.get<InsightsReport>(API_ROUTES.insights.report, { params: new HttpParams({ fromObject: insightsParams(query) }) });
  }

  /** For a plain download link (the session cookie goes with it): the CSV of the calls the filters select. */
  insightsCsvUrl(query: InsightsQuery): string {
    const search = new URLSearchParams(insightsParams(query)).toString();
    return search ? `${API_ROUTES.insights.csv}?${search}` : API_ROUTES.insights.csv;
  }

  rate(callSid: string, input: QualityRatingInput): Observable<void> {
    return this.http.put<unknown>(API_ROUTES.quality.rating(callSid), input).pipe(map(() => undefined));
  }
}
