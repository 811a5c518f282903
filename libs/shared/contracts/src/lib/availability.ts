/**
 * Agent availability (issue 13, item 1): the state each agent is in, who changed it, and the lists an
 * agent picks from (away reasons, wrap-up dispositions), which the API takes from its configuration.
 * Routes are listed in API_ROUTES (`availability`, `agentAvailability`, `availabilityHistory`).
 */

/**
 * - available: may be offered calls.
 * - on-call: automatic while the agent is on a call.
 * - wrap-up: automatic after a customer call (after-call work); ends by the agent (with a disposition) or
 *   after WRAP_UP_SECONDS.
 * - away: chosen by the agent, with a configured reason (break, meeting, …).
 * - offline: automatic; every agent starts here until they choose a state.
 */
export type AvailabilityState = 'available' | 'on-call' | 'wrap-up' | 'away' | 'offline';

export const AVAILABILITY_STATES: readonly AvailabilityState[] = ['available', 'on-call', 'wrap-up', 'away', 'offline'];

/** The states an agent (or a supervisor for them) may choose; the others only the API enters. */
export type ChosenAvailabilityState = 'available' | 'away';

export const CHOSEN_AVAILABILITY_STATES: readonly ChosenAvailabilityState[] = ['available', 'away'];

/** Entered by the API only: on-call and the start of wrap-up (call events), offline (reachability). */
export const AUTOMATIC_AVAILABILITY_STATES: readonly AvailabilityState[] = ['on-call', 'wrap-up', 'offline'];

/** Each state in the words the agent reads (and hears). */
export const AVAILABILITY_STATE_WORDS: Readonly<Record<AvailabilityState, string>> = {
  available: 'Available',
  'on-call': 'On a call',
  'wrap-up': 'Wrap-up',
  away: 'Away',
  offline: 'Offline',
};

/** One entry of a configured list (AWAY_REASONS, DISPOSITION_CODES): a stable id and the words shown. */
export interface AvailabilityOption {
  readonly id: string;
  readonly label: string;
}

/** After-call work on one call. */
export interface WrapUp {
  /** The call the wrap-up is for; its disposition is stored with it. */
  readonly callSid: string;
  /** ISO 8601 instant the API ends the wrap-up by itself; null when WRAP_UP_SECONDS is 0 (only the agent ends it). */
  readonly endsAt: string | null;
}

export interface AgentAvailability {
  readonly identity: string;
  readonly state: AvailabilityState;
  /** The away reason's id (AWAY_REASONS) while away; null otherwise. */
  readonly reason: string | null;
  /** ISO 8601 instant the agent entered this state (the "time in state" clock). */
  readonly since: string;
  /** Present while the state is wrap-up. */
  readonly wrapUp?: WrapUp;
}

/** Who changed a state: the agent, a supervisor (named), or the API itself (calls, wrap-up timer, reachability). */
export type AvailabilityActor =
  | { readonly kind: 'self' }
  | { readonly kind: 'supervisor'; readonly identity: string }
  | { readonly kind: 'system' };

// ---------------------------------------------------------------- routes

/** `GET /api/availability`: the agent's own state and the lists the status menu offers. */
export interface AvailabilityResponse {
  readonly availability: AgentAvailability;
  readonly awayReasons: readonly AvailabilityOption[];
  readonly dispositionCodes: readonly AvailabilityOption[];
  /** WRAP_UP_SECONDS: how long a wrap-up lasts unless the agent ends it; 0 = until the agent ends it. */
  readonly wrapUpSeconds: number;
}

/** The longest wrap-up note, in characters. */
export const WRAP_UP_NOTE_MAX_LENGTH = 500;

/**
 * `PUT /api/availability`: the agent chooses a state. `reason` is required with `away` (an AWAY_REASONS id)
 * and refused otherwise. Leaving wrap-up needs `disposition` (a DISPOSITION_CODES id) and may carry a
 * `note`; both are stored with the wrap-up's call and refused when the agent is not in wrap-up.
 */
export interface SetAvailabilityRequest {
  readonly state: ChosenAvailabilityState;
  readonly reason?: string;
  readonly disposition?: string;
  readonly note?: string;
}

/**
 * `PUT /api/agents/{identity}/availability` (supervisors): e.g. ends a forgotten break. Ending an
 * agent's wrap-up this way records no disposition. The agent is told by `agent.availability`.
 */
export interface SetAgentAvailabilityRequest {
  readonly state: ChosenAvailabilityState;
  readonly reason?: string;
}

/** One change of state, as history lists it. */
export interface AvailabilityChange {
  readonly identity: string;
  readonly from: AvailabilityState;
  readonly to: AvailabilityState;
  /** The away reason entered (to = away); null otherwise. */
  readonly reason: string | null;
  readonly by: AvailabilityActor;
  /** ISO 8601. */
  readonly at: string;
}

/** `GET /api/availability/history`: the agent's own changes, newest first (at most `limit`, default 50, max 200). */
export interface AvailabilityHistoryResponse {
  readonly changes: readonly AvailabilityChange[];
}

/**
 * Refusals of the PUT routes, in the house ApiErrorBody: 400 names the `field` (state, reason, disposition,
 * note); 403 a non-supervisor on another agent's route; 404 no enabled agent has that identity; 409 the
 * agent is on a call (the call's end moves them to wrap-up), or a disposition came after the wrap-up had
 * already ended (its timer, or a supervisor).
 */

// ---------------------------------------------------------------- live events

export const AVAILABILITY_EVENTS = {
  changed: 'agent.availability',
} as const;

/** `agent.availability`: sent to the agent and to every supervisor whenever the agent's state changes. */
export interface AgentAvailabilityEvent {
  readonly availability: AgentAvailability;
  readonly previous: AvailabilityState;
  readonly by: AvailabilityActor;
}

declare module './live-events' {
  interface LiveEventMap {
    'agent.availability': AgentAvailabilityEvent;
  }
}
