import { Injectable, inject } from '@angular/core';
import type { CallLiveEvent, CallLiveEventsPort } from '@switchboard/softphone-data-access-voice';
import { map, merge, type Observable } from 'rxjs';
import { LiveEventsClient } from '../live-events/live-events.client';

/**
 * The voice state's CALL_LIVE_EVENTS_PORT over the real-time channel: the call-control event
 * types of the signed-in agent's stream (the client opens it only while signed in, shared with every
 * other listener).
 */
@Injectable({ providedIn: 'root' })
export class CallLiveEventsOverSse implements CallLiveEventsPort {
  private readonly client = inject(LiveEventsClient);

  callEvents(): Observable<CallLiveEvent> {
    return merge(
      this.client.ofType('call.participants'),
      this.client.ofType('call.transfer'),
      this.client.ofType('call.rescue-available'),
      this.client.ofType('call.far-end'),
    ) as Observable<CallLiveEvent>;
  }

  /**
   * The stream's `session.hello` (sent first on every (re)opened stream, so each one is a reconnect) and
   * `session.resync` (events were missed and cannot be replayed): either way, something may have been missed.
   */
  streamOpened(): Observable<void> {
    return merge(this.client.ofType('session.hello'), this.client.ofType('session.resync')).pipe(map(() => undefined));
  }
}
