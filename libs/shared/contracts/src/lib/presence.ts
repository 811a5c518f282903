/**
 * Verified reachability (issue 13, item 2): whether an agent's phone can ring *now*, as the softphone
 * reports it. The softphone sends a {@link PresenceReport} on every change and every
 * {@link PRESENCE_HEARTBEAT_SECONDS}; the API (with REDIS_URL: in Redis, with expiry) keeps the latest per
 * agent and tab, and an agent is reachable while at least one tab's report is fresh (younger than
 * PRESENCE_TIMEOUT_SECONDS), says `registered`, and is neither frozen nor closed.
 *
 * Why a report over HTTP beside the SSE stream rather than on it: SSE carries server → client only, and a
 * POST is answered (the softphone knows the API heard it), survives a reconnect to another instance, and
 * can be sent as a `fetch(…, { keepalive: true })` from `freeze` / `pagehide`, where nothing else runs.
 */

/** How often the softphone reports while nothing changes. */
export const PRESENCE_HEARTBEAT_SECONDS = 5;

/** The SDK Device's state as the softphone saw it last (Device.State plus `destroyed` when there is none). */
export type PresenceDeviceState = 'registered' | 'registering' | 'unregistered' | 'destroyed';

/**
 * The tab as the Page Lifecycle API sees it:
 * - active / passive: visible (focused or not), timers run;
 * - hidden: timers run, but Chromium may freeze the tab at any time;
 * - frozen: sent from the `freeze` event, the last thing a tab does before its timers stop;
 * - terminated: sent from `pagehide` (tab closed, reloaded or navigated away).
 */
export type PresenceLifecycle = 'active' | 'passive' | 'hidden' | 'frozen' | 'terminated';

/** `PUT /api/presence`: one tab's report. Identity comes from the session, never from the body. */
export interface PresenceReport {
  /** Random per tab (sessionStorage), 8–64 of [A-Za-z0-9_-]: the API keeps one report per tab. */
  readonly tabId: string;
  readonly device: PresenceDeviceState;
  readonly lifecycle: PresenceLifecycle;
  /** The call the tab is on, with its live quality, for the supervisor's board; absent when idle. */
  readonly call?: PresenceCallQuality;
}

/** Live quality of the agent's current call, from the SDK's `sample` and `warning` events. */
export interface PresenceCallQuality {
  readonly callSid: string;
  /** The SDK's latest MOS (1–5); null before the first sample. */
  readonly mos: number | null;
  /** Warning names active now (e.g. high-jitter, high-packet-loss). */
  readonly warnings: readonly string[];
}

/** Why an agent is not reachable, in the order the API checks them. */
export type UnreachableReason =
  | 'signed-out'        // no tab has reported since sign-in, or the agent signed out
  | 'tab-closed'        // the last tab sent `terminated`
  | 'tab-frozen'        // the last tab sent `frozen` (Chromium stopped its timers)
  | 'heartbeat-missed'  // no report for PRESENCE_TIMEOUT_SECONDS (crash, network, a freeze that sent nothing)
  | 'device-unregistered'; // the tab is alive but its Device is not registered

export const UNREACHABLE_REASON_WORDS: Readonly<Record<UnreachableReason, string>> = {
  'signed-out': 'Not signed in',
  'tab-closed': 'Softphone closed',
  'tab-frozen': 'Tab frozen by the browser',
  'heartbeat-missed': 'Softphone stopped responding',
  'device-unregistered': 'Phone not registered',
};

export interface AgentReachability {
  readonly identity: string;
  readonly reachable: boolean;
  /** Null while reachable. */
  readonly reason: UnreachableReason | null;
  /** ISO 8601: when it became what it is. */
  readonly since: string;
}

/** `PUT /api/presence` answers the agent's reachability as the API now sees it. */
export type PresenceResponse = AgentReachability;

export const PRESENCE_EVENTS = {
  changed: 'agent.reachability',
} as const;

/** `agent.reachability`: to the agent and every supervisor, once per change (one instance publishes it). */
export type AgentReachabilityEvent = AgentReachability;

declare module './live-events' {
  interface LiveEventMap {
    'agent.reachability': AgentReachabilityEvent;
  }
}
