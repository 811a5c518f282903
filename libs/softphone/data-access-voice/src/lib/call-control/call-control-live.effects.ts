import { inject } from '@angular/core';
import { createEffect } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { defer, EMPTY, map } from 'rxjs';
import { VOICE_CLOCK, type VoiceClock } from '../voice-state.config';
import { CallControlLiveEvents } from './call-control.actions';
import { CALL_LIVE_EVENTS_PORT, type CallLiveEvent, type CallLiveEventsPort } from './call-live-events-port';

function toLiveAction(event: CallLiveEvent, at: number): Action {
  switch (event.type) {
    case 'call.participants':
      return CallControlLiveEvents.liveCallParticipants({ event: event.data });
    case 'call.transfer':
      return CallControlLiveEvents.liveTransferStatus({ event: event.data });
    case 'call.rescue-available':
      return CallControlLiveEvents.rescueAvailable({ event: event.data });
    case 'call.far-end':
      return CallControlLiveEvents.farEndChanged({ event: event.data, at });
  }
}

/**
 * The API's pushes about the agent's own calls become the slice's live actions. The reducer applies
 * each to the call it names only, so an event about another (or a finished) call changes nothing.
 * Without the port (the app has not wired the API) nothing arrives. The client reconnects by itself and
 * does not error; if it ever did, NgRx's default effect error handler subscribes again.
 */
export const dispatchLiveCallEvents = createEffect(
  (port: CallLiveEventsPort | null = inject(CALL_LIVE_EVENTS_PORT, { optional: true }), clock: VoiceClock = inject(VOICE_CLOCK)) => {
    if (!port) return EMPTY;
    return defer(() => port.callEvents()).pipe(map((event) => toLiveAction(event, clock.now())));
  },
  { functional: true },
);
