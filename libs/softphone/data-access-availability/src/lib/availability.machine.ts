import type { AgentAvailability, AgentReachability, AvailabilityState, ChosenAvailabilityState } from '@switchboard/shared-contracts';
import type { TransitionTable } from '@switchboard/shared-voice-model';

/**
 * How far the slice is with the API:
 * - signed-out: nothing known;
 * - loading: `GET /api/availability` in flight (after sign-in, and again after the live stream reopened);
 * - ready: the state is known and the agent may change it;
 * - saving: one `PUT` in flight; further choices wait (they are refused, not queued);
 * - load-failed: the GET failed; the menu says what to do, and the next stream opening tries again.
 */
export type AvailabilitySync = 'signed-out' | 'loading' | 'ready' | 'saving' | 'load-failed';

export const AVAILABILITY_SYNC_TRANSITIONS: TransitionTable<AvailabilitySync> = {
  'signed-out': ['loading'],
  loading: ['ready', 'load-failed', 'signed-out'],
  'load-failed': ['loading', 'signed-out'],
  // A reload while ready or saving (the stream reopened) keeps what is shown until the answer comes.
  ready: ['saving', 'loading', 'signed-out'],
  saving: ['ready', 'loading', 'signed-out'],
};

/**
 * Which states the agent may choose from each state. On a call the API refuses any change (the call's end
 * moves the agent to wrap-up); wrap-up is left only through its card (`Wrap Up Done`, with a disposition),
 * so the menu's "Available" is offered there as the card's action, not as a plain choice.
 */
export const CHOICES_BY_STATE: Readonly<Record<AvailabilityState, readonly ChosenAvailabilityState[]>> = {
  available: ['away'],
  away: ['available', 'away'],
  offline: ['available', 'away'],
  'wrap-up': [],
  'on-call': [],
};

/** What the agent asked for, as the move the slice checks. */
export type AvailabilityChoice =
  | { readonly kind: 'available' }
  | { readonly kind: 'away'; readonly reason: string }
  | { readonly kind: 'wrap-up-done'; readonly disposition: string; readonly note: string | null };

/** Why a choice was not sent. */
export type ChoiceRefusal = 'not-ready' | 'not-from-this-state' | 'same-state' | 'not-in-wrap-up';

export function refusalOf(sync: AvailabilitySync, own: AgentAvailability | null, choice: AvailabilityChoice): ChoiceRefusal | null {
  if (sync !== 'ready' || own === null) return 'not-ready';
  if (choice.kind === 'wrap-up-done') return own.state === 'wrap-up' ? null : 'not-in-wrap-up';
  if (choice.kind === 'away' && own.state === 'away' && own.reason === choice.reason) return 'same-state';
  if (choice.kind === 'available' && own.state === 'available') return 'same-state';
  return CHOICES_BY_STATE[own.state].includes(choice.kind) ? null : 'not-from-this-state';
}

function instant(iso: string): number {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? 0 : at;
}

/**
 * Whether `next` (a PUT answer, an event, a GET) should replace `current`. The API stamps each state with
 * `since`; an answer or event that arrives after a newer one (two instances, a slow request) is older and
 * must not undo it. The same instant is accepted, so a repeated event changes nothing but harms nothing.
 */
export function isNewerAvailability(current: AgentAvailability | null, next: AgentAvailability): boolean {
  return current === null || instant(next.since) >= instant(current.since);
}

export function isNewerReachability(current: AgentReachability | null, next: AgentReachability): boolean {
  return current === null || instant(next.since) >= instant(current.since);
}
