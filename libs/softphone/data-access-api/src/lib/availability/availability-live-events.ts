import { Injectable, inject } from '@angular/core';
import type { AgentAvailabilityEvent, AgentReachabilityEvent } from '@switchboard/shared-contracts';
import type { AvailabilityLiveEventsPort } from '@switchboard/softphone-data-access-availability';
import { map, merge, type Observable } from 'rxjs';
import { LiveEventsClient } from '../live-events/live-events.client';

/** The availability slice's live events: the signed-in agent's own `agent.availability` and `agent.reachability`. */
@Injectable({ providedIn: 'root' })
export class AvailabilityLiveEventsOverSse implements AvailabilityLiveEventsPort {
  private readonly client = inject(LiveEventsClient);

  availabilityChanges(): Observable<AgentAvailabilityEvent> {
    return this.client.ofType('agent.availability').pipe(map((event) => event.data));
  }

  reachabilityChanges(): Observable<AgentReachabilityEvent> {
    return this.client.ofType('agent.reachability').pipe(map((event) => event.data));
  }

  streamOpened(): Observable<void> {
    return merge(this.client.ofType('session.hello'), this.client.ofType('session.resync')).pipe(map(() => undefined));
  }
}
