import { createFeature, createReducer, on } from '@ngrx/store';
import type { FarEndStatus } from '@switchboard/shared-contracts';
import { CallControlLiveEvents } from '../call-control/call-control.actions';
import { SessionEvents } from '../session.actions';

/**
 * Where the number of the agent's latest anchored phone call is (`call.far-end`, CUSTOMER_CALL_ANCHOR=conference).
 * The agent's SDK call is answered at once by their conference, so the call slice alone would show it
 * connected while the number still rings. Kept past the call's end (its miss is the ended call's outcome)
 * until the next call's event replaces it; the selectors apply it only to the call whose CallSid it names.
 * Empty (status null) when no event came: old API, live channel down, direct calls; the views then show
 * what the SDK says, as before.
 */
export interface FarEndState {
  /** The agent's own leg, as the event names it. */
  readonly callSid: string | null;
  readonly status: FarEndStatus | null;
  /** Client epoch ms the answer was heard of: the conversation timer's start. */
  readonly answeredAt: number | null;
}

export const initialFarEndState: FarEndState = { callSid: null, status: null, answeredAt: null };

export const farEndFeature = createFeature({
  name: 'farEnd',
  reducer: createReducer(
    initialFarEndState,
    on(CallControlLiveEvents.farEndChanged, (state, { event, at }): FarEndState => {
      const answeredAt = event.state === 'answered' ? at : null;
      if (event.callSid !== state.callSid) return { callSid: event.callSid, status: event.state, answeredAt };
      // Only a ringing number moves on: an answer or a miss is final, so a late or repeated event changes nothing.
      if (state.status !== null && state.status !== 'ringing') return state;
      return { ...state, status: event.state, answeredAt };
    }),
    on(SessionEvents.signedOut, (): FarEndState => initialFarEndState),
  ),
});
