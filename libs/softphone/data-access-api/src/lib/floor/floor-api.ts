import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  API_ROUTES,
  type AgentAvailability,
  type AvailabilityResponse,
  type FloorSnapshot,
  type MonitorMode,
  type MonitorState,
  type SetAgentAvailabilityRequest,
  type SetMonitorModeRequest,
} from '@switchboard/shared-contracts';
import type { Observable } from 'rxjs';

/** The supervisor's routes: the board's snapshot, an agent's state, and the monitoring mode of a customer call. */
@Injectable({ providedIn: 'root' })
export class FloorApi {
  private readonly http = inject(HttpClient);

  snapshot(): Observable<FloorSnapshot> {
    return this.http.get<FloorSnapshot>(API_ROUTES.floor);
  }

  /** The signed-in user's own availability and the configured lists (the away reasons the menu offers). */
  availabilityOptions(): Observable<AvailabilityResponse> {
    return this.http.get<AvailabilityResponse>(API_ROUTES.availability);
  }

  setAgentAvailability(identity: string, request: SetAgentAvailabilityRequest): Observable<AgentAvailability> {
    return this.http.put<AgentAvailability>(API_ROUTES.agentAvailability(identity), request);
  }

  setMonitorMode(customerCallSid: string, mode: MonitorMode): Observable<MonitorState> {
    const body: SetMonitorModeRequest = { mode };
    return this.http.put<MonitorState>(API_ROUTES.monitor(customerCallSid), body);
  }
}
