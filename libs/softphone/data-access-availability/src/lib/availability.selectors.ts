import { createSelector } from '@ngrx/store';
import {
  AVAILABILITY_STATE_WORDS,
  UNREACHABLE_REASON_WORDS,
  type AvailabilityActor,
  type AvailabilityOption,
  type AvailabilityState,
  type UnreachableReason,
} from '@switchboard/shared-contracts';
import { availabilityFeature } from './availability.feature';
import { CHOICES_BY_STATE } from './availability.machine';
import type { AvailabilityProblem } from './availability.ports';

/** What the agent can do about each reason their phone cannot ring. */
export const UNREACHABLE_NEXT_STEP: Readonly<Record<UnreachableReason, string>> = {
  'signed-out': 'Reload the page; if that does not help, sign out and sign in again.',
  'tab-closed': 'Keep a Switchboard tab open while you take calls.',
  'tab-frozen': 'Bring this tab to the front. Keep Switchboard in a window of its own so the browser does not freeze it.',
  'heartbeat-missed': 'Check your network connection. If this stays, reload the page.',
  'device-unregistered': 'Wait while the phone reconnects, or press Try again.',
};

export interface AwayOptionView extends AvailabilityOption {
  /** The agent is away for this reason now. */
  readonly isCurrent: boolean;
}

/** The status menu in the header. */
export interface AvailabilityMenuView {
  /** Null until the first answer from the API. */
  readonly state: AvailabilityState | null;
  /** "Away: Lunch", "Available", "Loading…". */
  readonly label: string;
  /** When the state began (ISO), for the time-in-state clock; null when unknown. */
  readonly since: string | null;
  readonly canChooseAvailable: boolean;
  readonly canChooseAway: boolean;
  readonly awayOptions: readonly AwayOptionView[];
  /** Why the choices are disabled (on a call, in wrap-up, saving); null when they are not. */
  readonly hint: string | null;
  readonly isSaving: boolean;
  readonly problem: AvailabilityProblem | null;
}

/** The wrap-up card, while the agent is in wrap-up. */
export interface WrapUpView {
  readonly callSid: string;
  /** ISO instant the API ends the wrap-up by itself; null: only the agent ends it. */
  readonly endsAt: string | null;
  readonly dispositions: readonly AvailabilityOption[];
  readonly isSaving: boolean;
  readonly problem: AvailabilityProblem | null;
}

/** The banner while the API says the agent's phone cannot ring. */
export interface UnreachableView {
  readonly reason: UnreachableReason;
  readonly words: string;
  readonly nextStep: string;
}

/** What the agent's latest change was, in words, for the live region; `key` tells changes apart. */
export interface AvailabilityAnnouncementSource {
  readonly key: string;
  readonly state: AvailabilityState;
  readonly stateWords: string;
  readonly by: AvailabilityActor;
  readonly previous: AvailabilityState;
}

function labelOf(options: readonly AvailabilityOption[], id: string | null): string | null {
  if (id === null) return null;
  return options.find((option) => option.id === id)?.label ?? id;
}

/** "Away: Lunch", or the state's own words. */
export function stateWords(state: AvailabilityState, reasonLabel: string | null): string {
  return state === 'away' && reasonLabel ? `${AVAILABILITY_STATE_WORDS.away}: ${reasonLabel}` : AVAILABILITY_STATE_WORDS[state];
}

const HINTS: Partial<Record<AvailabilityState, string>> = {
  'on-call': 'You are on a call. Your status changes when it ends.',
  'wrap-up': 'Finish the wrap-up to become available.',
};

export const selectAvailabilityMenuView = createSelector(availabilityFeature.selectAvailabilityState, (s): AvailabilityMenuView => {
  const own = s.own;
  const isSaving = s.sync === 'saving';
  const choices = own ? CHOICES_BY_STATE[own.state] : [];
  const reasonLabel = own ? labelOf(s.awayReasons, own.reason) : null;
  const label = own ? stateWords(own.state, reasonLabel) : s.sync === 'load-failed' ? 'Status unknown' : 'Loading status…';
  return {
    state: own?.state ?? null,
    label,
    since: own?.since ?? null,
    canChooseAvailable: !isSaving && choices.includes('available'),
    canChooseAway: !isSaving && choices.includes('away') && s.awayReasons.length > 0,
    awayOptions: s.awayReasons.map((option) => ({ ...option, isCurrent: own?.state === 'away' && own.reason === option.id })),
    hint: isSaving ? 'Saving your status…' : own ? (HINTS[own.state] ?? null) : null,
    isSaving,
    problem: s.problem,
  };
});

export const selectWrapUpView = createSelector(availabilityFeature.selectAvailabilityState, (s): WrapUpView | null => {
  const own = s.own;
  if (!own || own.state !== 'wrap-up' || !own.wrapUp) return null;
  return { callSid: own.wrapUp.callSid, endsAt: own.wrapUp.endsAt, dispositions: s.dispositionCodes, isSaving: s.sync === 'saving', problem: s.problem };
});

export const selectUnreachableView = createSelector(availabilityFeature.selectReachability, (r): UnreachableView | null =>
  r && !r.reachable && r.reason ? { reason: r.reason, words: UNREACHABLE_REASON_WORDS[r.reason], nextStep: UNREACHABLE_NEXT_STEP[r.reason] } : null,
);

export const selectAvailabilityAnnouncementSource = createSelector(
  availabilityFeature.selectOwn,
  availabilityFeature.selectLastChange,
  availabilityFeature.selectAwayReasons,
  (own, change, reasons): AvailabilityAnnouncementSource | null =>
    own && change
      ? { key: `${own.state}|${own.reason ?? ''}|${own.since}`, state: own.state, stateWords: stateWords(own.state, labelOf(reasons, own.reason)), by: change.by, previous: change.previous }
      : null,
);
