import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type {
  AgentAvailability,
  AgentAvailabilityEvent,
  AgentReachability,
  AvailabilityResponse,
} from '@switchboard/shared-contracts';
import type { AvailabilityProblem } from './availability.ports';

/** What the agent did in the status menu, the wrap-up card or with the shortcut. */
export const AvailabilityMenuActions = createActionGroup({
  source: 'Availability Menu',
  events: {
    'Available Chosen': emptyProps(),
    'Away Chosen': props<{ reason: string }>(),
    /** The wrap-up card's "Done": back to Available, with the disposition (and note) stored on the call. */
    'Wrap Up Done': props<{ disposition: string; note: string | null }>(),
    'Problem Dismissed': emptyProps(),
  },
});

/** Answers of `GET/PUT /api/availability` (and the GET's start, so the slice knows it is loading). */
export const AvailabilityApiEvents = createActionGroup({
  source: 'Availability API',
  events: {
    'Load Started': emptyProps(),
    Loaded: props<{ response: AvailabilityResponse }>(),
    'Load Failed': props<{ problem: AvailabilityProblem }>(),
    /** The PUT's answer: the state the API now holds. */
    Changed: props<{ availability: AgentAvailability }>(),
    'Change Failed': props<{ problem: AvailabilityProblem }>(),
  },
});

/** The agent's own events on the real-time channel. */
export const AvailabilityLiveEvents = createActionGroup({
  source: 'Availability Live',
  events: {
    'Availability Changed': props<{ event: AgentAvailabilityEvent }>(),
    'Reachability Changed': props<{ reachability: AgentReachability }>(),
  },
});

/** The presence reporter's answers from `PUT /api/presence`. */
export const PresenceReportEvents = createActionGroup({
  source: 'Presence Report',
  events: {
    Answered: props<{ reachability: AgentReachability }>(),
    /** Not heard: the API will call the agent unreachable once the heartbeat is missed; the next one tries again. */
    Failed: props<{ problem: AvailabilityProblem }>(),
  },
});
