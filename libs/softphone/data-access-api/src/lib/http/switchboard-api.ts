import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  API_ROUTES,
  type AgentDirectoryEntry,
  type AgentProfile,
  type CallRecord,
  type CheckNumberRequest,
  type CheckNumberResponse,
  type ClientConfig,
  type LoginRequest,
  type LoginResponse,
  type MarkVoicemailRequest,
  type Page,
  type RingGroupEntry,
  type Voicemail,
  type VoicemailList,
  type VoiceTokenResponse,
} from '@switchboard/shared-contracts';
import { type Observable, map } from 'rxjs';

/** Sign-in, sign-out and "who am I" over the session cookie (httpOnly, same origin). */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  /** The profile, and the session's first voice token when the API carries one. */
  login(credentials: LoginRequest): Observable<LoginResponse> {
    return this.http.post<LoginResponse>(API_ROUTES.auth.login, credentials);
  }

  logout(): Observable<void> {
    return this.http.post<unknown>(API_ROUTES.auth.logout, {}).pipe(map(() => undefined));
  }

  me(): Observable<AgentProfile> {
    return this.http.get<AgentProfile>(API_ROUTES.auth.me);
  }
}

/** A fresh Access Token for the signed-in agent; the identity comes from the session, never from us. */
@Injectable({ providedIn: 'root' })
export class VoiceTokenApi {
  private readonly http = inject(HttpClient);

  fetchToken(): Observable<VoiceTokenResponse> {
    return this.http.post<VoiceTokenResponse>(API_ROUTES.voice.token, {});
  }
}

@Injectable({ providedIn: 'root' })
export class ClientConfigApi {
  private readonly http = inject(HttpClient);

  load(): Observable<ClientConfig> {
    return this.http.get<ClientConfig>(API_ROUTES.clientConfig);
  }
}

@Injectable({ providedIn: 'root' })
export class AgentsApi {
  private readonly http = inject(HttpClient);

  directory(): Observable<readonly AgentDirectoryEntry[]> {
    return this.http.get<readonly AgentDirectoryEntry[]>(API_ROUTES.agents);
  }

  /** The ring groups a call can be transferred to. */
  ringGroups(): Observable<readonly RingGroupEntry[]> {
    return this.http.get<readonly RingGroupEntry[]>(API_ROUTES.ringGroups);
  }
}

export interface PageRequest {
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

@Injectable({ providedIn: 'root' })
export class CallsApi {
  private readonly http = inject(HttpClient);

  list(request: PageRequest): Observable<Page<CallRecord>> {
    const params = new HttpParams().set('page', request.page).set('pageSize', request.pageSize);
    return this.http.get<Page<CallRecord>>(API_ROUTES.calls.list, { params });
  }

  /** Whether the calling policy allows dialling `to`; a refusal is a 200 with `allowed: false`. */
  checkNumber(to: string): Observable<CheckNumberResponse> {
    const body: CheckNumberRequest = { to };
    return this.http.post<CheckNumberResponse>(API_ROUTES.calls.checkNumber, body);
  }
}

@Injectable({ providedIn: 'root' })
export class VoicemailsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<VoicemailList> {
    return this.http.get<VoicemailList>(API_ROUTES.voicemails.list);
  }

  markHeard(id: string, heard = true): Observable<Voicemail> {
    const body: MarkVoicemailRequest = { heard };
    return this.http.patch<Voicemail>(API_ROUTES.voicemails.one(id), body);
  }

  /** Same-origin URL for an `<audio>` element: the session cookie goes with it, no token in the URL. */
  audioUrl(id: string): string {
    return API_ROUTES.voicemails.audio(id);
  }
}
