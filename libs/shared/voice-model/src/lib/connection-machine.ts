import type { TransitionTable } from './machine';

/**
 * The softphone's link to the voice service (DESIGN.md §4).
 * signed-out → fetching-token → registering → registered; registered ⇄ unregistered (the app
 * re-registers with back-off if the SDK does not heal itself); → error (typed reason, guidance);
 * → destroyed (the SDK tore the Device down, e.g. on pagehide); ⇄ standby (another tab of this
 * browser holds the phone: one Device per browser, so calls ring once, features.md §2.4).
 */
export type ConnectionPhase =
  | 'signed-out'
  | 'fetching-token'
  | 'registering'
  | 'registered'
  | 'unregistered'
  | 'error'
  | 'destroyed'
  /** Signed in, but another tab of this browser has the phone (it registers and rings there). */
  | 'standby';

export const CONNECTION_PHASES: readonly ConnectionPhase[] = [
  'signed-out',
  'fetching-token',
  'registering',
  'registered',
  'unregistered',
  'error',
  'destroyed',
  'standby',
];

export const CONNECTION_TRANSITIONS: TransitionTable<ConnectionPhase> = {
  'signed-out': ['fetching-token'],
  'fetching-token': ['registering', 'unregistered', 'error', 'signed-out', 'destroyed', 'standby'],
  // registering → fetching-token: the token was refused (20101/20104) while registering.
  registering: ['registered', 'unregistered', 'error', 'fetching-token', 'signed-out', 'destroyed', 'standby'],
  registered: ['unregistered', 'registering', 'fetching-token', 'error', 'signed-out', 'destroyed', 'standby'],
  unregistered: ['registering', 'registered', 'fetching-token', 'error', 'signed-out', 'destroyed', 'standby'],
  error: ['fetching-token', 'registering', 'signed-out', 'destroyed', 'standby'],
  destroyed: ['fetching-token', 'signed-out', 'standby'],
  // Back only by getting the phone (the other tab closed, or the agent chose this tab): fetch a token.
  standby: ['fetching-token', 'signed-out'],
};

/** The agent can place and receive calls only here. */
export const isOnline = (phase: ConnectionPhase): boolean => phase === 'registered';

/** A phase the app is working its way out of by itself (the status chip says "retrying"). */
export const isRecovering = (phase: ConnectionPhase): boolean =>
  phase === 'fetching-token' || phase === 'registering' || phase === 'unregistered';

/**
 * Exponential back-off with full jitter, capped. `attempt` starts at 1.
 * delay = random in [base·2^(attempt-1)·(1-jitter), base·2^(attempt-1)], never above maxMs.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** 0 = no jitter, 1 = anywhere between 0 and the full delay. */
  readonly jitter: number;
}

export const REREGISTER_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.5 };

export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const safeAttempt = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(safeAttempt - 1, 30));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling * (1 - jitter * r));
}

/**
 * Whether a token refresh should wait for the live call to end: `updateToken` re-publishes
 * `listen` and can cost ~1 s of audio (reliability.md §4.2), so wait unless expiry is near.
 */
export function shouldDeferTokenRefresh(input: {
  readonly hasLiveCall: boolean;
  readonly expiresAtMs: number | null;
  readonly nowMs: number;
  readonly nearExpiryMs: number;
}): boolean {
  if (!input.hasLiveCall) return false;
  if (input.expiresAtMs === null) return false;
  return input.expiresAtMs - input.nowMs > input.nearExpiryMs;
}

/** Never schedule our own refresh sooner than this: a local clock ahead of the API's must not become a request loop. */
export const MIN_TOKEN_REFRESH_DELAY_MS = 5_000;

/**
 * How long to wait before refreshing a token on our own timer: `leadMs` before expiry, but never
 * more than half the token's remaining life, so a short-lived token (e.g. 60 s with a 60 s lead)
 * is refreshed at mid-life instead of at once, again and again.
 */
export function tokenRefreshDelayMs(input: { readonly expiresAtMs: number; readonly nowMs: number; readonly leadMs: number }): number {
  const remaining = input.expiresAtMs - input.nowMs;
  const lead = Math.min(Math.max(0, input.leadMs), remaining / 2);
  return Math.max(MIN_TOKEN_REFRESH_DELAY_MS, Math.round(remaining - lead));
}
