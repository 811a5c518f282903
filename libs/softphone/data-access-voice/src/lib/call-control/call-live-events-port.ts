import { InjectionToken } from '@angular/core';
import type { CallFarEndEvent, CallParticipantsEvent, CallRescueAvailableEvent, CallTransferEvent } from '@switchboard/shared-contracts';
import type { Observable } from 'rxjs';

/** A call-control event the API pushed on its real-time channel, by its contract type. */
export type CallLiveEvent =
  | { readonly type: 'call.participants'; readonly data: CallParticipantsEvent }
  | { readonly type: 'call.transfer'; readonly data: CallTransferEvent }
  | { readonly type: 'call.rescue-available'; readonly data: CallRescueAvailableEvent }
  | { readonly type: 'call.far-end'; readonly data: CallFarEndEvent };

/**
 * The API's real-time channel as the call-control slice uses it. Implemented by data-access-api over
 * its LiveEventsClient (which is open only while the agent is signed in); a port, so this library does
 * not depend on the HTTP one. Optional: without it no live call-control event arrives.
 */
export interface CallLiveEventsPort {
  /** The call-control events of the signed-in agent's stream, as they arrive. */
  callEvents(): Observable<CallLiveEvent>;
  /**
   * Each time the stream (re)opens (its `session.hello`) or says events were lost (`session.resync`): events
   * may have been missed, so the slice asks again for what it cannot have heard of (the rejoinable calls).
   */
  streamOpened(): Observable<void>;
}

export const CALL_LIVE_EVENTS_PORT = new InjectionToken<CallLiveEventsPort>('CALL_LIVE_EVENTS_PORT');
