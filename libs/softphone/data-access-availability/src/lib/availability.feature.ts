import { createFeature, createReducer, on, type Action } from '@ngrx/store';
import type {
  AgentAvailability,
  AgentReachability,
  AvailabilityActor,
  AvailabilityOption,
  AvailabilityState,
  SetAvailabilityRequest,
} from '@switchboard/shared-contracts';
import { canMove, type RefusedMove } from '@switchboard/shared-voice-model';
import { SessionEvents } from '@switchboard/softphone-data-access-voice';
import { AvailabilityApiEvents, AvailabilityLiveEvents, AvailabilityMenuActions, PresenceReportEvents } from './availability.actions';
import {
  AVAILABILITY_SYNC_TRANSITIONS,
  isNewerAvailability,
  isNewerReachability,
  refusalOf,
  type AvailabilityChoice,
  type AvailabilitySync,
  type ChoiceRefusal,
} from './availability.machine';
import type { AvailabilityProblem } from './availability.ports';

/** The last change of the agent's state and who made it, so it can be announced ("Sam set you to Available"). */
export interface AvailabilityChangeNote {
  readonly previous: AvailabilityState;
  readonly by: AvailabilityActor;
}

/** A choice the slice did not send, or a sync move its table refused. */
export type RefusedAvailabilityMove =
  | ({ readonly kind: 'sync' } & RefusedMove<AvailabilitySync>)
  | { readonly kind: 'choice'; readonly choice: AvailabilityChoice['kind']; readonly why: ChoiceRefusal; readonly event: string };

export interface OwnAvailabilityState {
  readonly sync: AvailabilitySync;
  /** The agent's state as the API holds it; null until the first answer. */
  readonly own: AgentAvailability | null;
  readonly lastChange: AvailabilityChangeNote | null;
  readonly awayReasons: readonly AvailabilityOption[];
  readonly dispositionCodes: readonly AvailabilityOption[];
  readonly wrapUpSeconds: number;
  /** The PUT in flight (sync 'saving'); null otherwise. */
  readonly pending: SetAvailabilityRequest | null;
  /** Whether this tab's phone can ring, as the API last said (PUT /api/presence or `agent.reachability`). */
  readonly reachability: AgentReachability | null;
  /** The last failed load or change, with what to do; cleared by the next success or by the agent. */
  readonly problem: AvailabilityProblem | null;
  readonly rejected: RefusedAvailabilityMove | null;
}

export const initialOwnAvailabilityState: OwnAvailabilityState = {
  sync: 'signed-out',
  own: null,
  lastChange: null,
  awayReasons: [],
  dispositionCodes: [],
  wrapUpSeconds: 0,
  pending: null,
  reachability: null,
  problem: null,
  rejected: null,
};

function moveTo(state: OwnAvailabilityState, to: AvailabilitySync, action: Action, patch: Partial<OwnAvailabilityState> = {}): OwnAvailabilityState {
  if (state.sync !== to && !canMove(AVAILABILITY_SYNC_TRANSITIONS, state.sync, to)) {
    return { ...state, rejected: { kind: 'sync', from: state.sync, to, event: action.type } };
  }
  return { ...state, ...patch, sync: to, rejected: null };
}

function requestOf(choice: AvailabilityChoice): SetAvailabilityRequest {
  switch (choice.kind) {
    case 'available':
      return { state: 'available' };
    case 'away':
      return { state: 'away', reason: choice.reason };
    case 'wrap-up-done':
      return choice.note ? { state: 'available', disposition: choice.disposition, note: choice.note } : { state: 'available', disposition: choice.disposition };
  }
}

function choose(state: OwnAvailabilityState, choice: AvailabilityChoice, action: Action): OwnAvailabilityState {
  const why = refusalOf(state.sync, state.own, choice);
  if (why) return { ...state, rejected: { kind: 'choice', choice: choice.kind, why, event: action.type } };
  return moveTo(state, 'saving', action, { pending: requestOf(choice), problem: null });
}

/** A newer state from the API, whichever way it came; an older one is dropped. */
function adopt(state: OwnAvailabilityState, next: AgentAvailability, by: AvailabilityActor, previous: AvailabilityState | null): OwnAvailabilityState {
  if (!isNewerAvailability(state.own, next)) return state;
  const before = previous ?? state.own?.state ?? null;
  const changed = state.own === null || state.own.state !== next.state || state.own.reason !== next.reason || state.own.since !== next.since;
  return {
    ...state,
    own: next,
    lastChange: changed && before !== null ? { previous: before, by } : state.lastChange,
  };
}

function reach(state: OwnAvailabilityState, reachability: AgentReachability): OwnAvailabilityState {
  return isNewerReachability(state.reachability, reachability) ? { ...state, reachability } : state;
}

export const availabilityFeature = createFeature({
  name: 'availability',
  reducer: createReducer(
    initialOwnAvailabilityState,
    on(AvailabilityApiEvents.loadStarted, (state, action): OwnAvailabilityState => moveTo(state, 'loading', action)),
    on(AvailabilityApiEvents.loaded, (state, action): OwnAvailabilityState => {
      const { availability, awayReasons, dispositionCodes, wrapUpSeconds } = action.response;
      const moved = moveTo(state, 'ready', action, { awayReasons, dispositionCodes, wrapUpSeconds, pending: null, problem: null });
      // The first load is not news; a later one (after a reconnect) may reveal a change made meanwhile.
      return moved.sync === 'ready' ? adopt(moved, availability, { kind: 'system' }, null) : moved;
    }),
    on(AvailabilityApiEvents.loadFailed, (state, action): OwnAvailabilityState =>
      // With a state already shown, a failed reload keeps it (the menu still works); the problem says what to do.
      state.own !== null ? moveTo(state, 'ready', action, { problem: action.problem }) : moveTo(state, 'load-failed', action, { problem: action.problem }),
    ),
    on(AvailabilityMenuActions.availableChosen, (state, action): OwnAvailabilityState => choose(state, { kind: 'available' }, action)),
    on(AvailabilityMenuActions.awayChosen, (state, action): OwnAvailabilityState => choose(state, { kind: 'away', reason: action.reason }, action)),
    on(AvailabilityMenuActions.wrapUpDone, (state, action): OwnAvailabilityState =>
      choose(state, { kind: 'wrap-up-done', disposition: action.disposition, note: action.note }, action),
    ),
    on(AvailabilityMenuActions.problemDismissed, (state): OwnAvailabilityState => ({ ...state, problem: null })),
    on(AvailabilityApiEvents.changed, (state, action): OwnAvailabilityState =>
      adopt(moveTo(state, 'ready', action, { pending: null, problem: null }), action.availability, { kind: 'self' }, null),
    ),
    on(AvailabilityApiEvents.changeFailed, (state, action): OwnAvailabilityState => moveTo(state, 'ready', action, { pending: null, problem: action.problem })),
    on(AvailabilityLiveEvents.availabilityChanged, (state, { event }): OwnAvailabilityState =>
      // Before the first load there is nothing to change: the load's answer carries this state too.
      state.own === null ? state : adopt(state, event.availability, event.by, event.previous),
    ),
    on(AvailabilityLiveEvents.reachabilityChanged, PresenceReportEvents.answered, (state, { reachability }): OwnAvailabilityState =>
      reach(state, reachability),
    ),
    on(SessionEvents.signedOut, (): OwnAvailabilityState => initialOwnAvailabilityState),
  ),
});
