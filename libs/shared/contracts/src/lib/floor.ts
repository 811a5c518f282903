/**
 * The team floor (issue 13, items 3–4): how inbound calls are routed, the queue, why an agent was not rung,
 * and the supervisor's live board with listen / whisper / barge.
 */
import type { AgentAvailability } from './availability';
import type { RingGroupEntry } from './call-control';
import type { AgentReachability, PresenceCallQuality } from './presence';

// ---------------------------------------------------------------- routing

/**
 * A ring group's strategy:
 * - ring-all: every eligible member at once; the first to answer takes the call;
 * - longest-idle: the eligible member Available the longest first, then the next after
 *   LONGEST_IDLE_RING_SECONDS, and so on.
 */
export type RingStrategy = 'ring-all' | 'longest-idle';
export const RING_STRATEGIES: readonly RingStrategy[] = ['ring-all', 'longest-idle'];

/** `GET /api/ring-groups`: each group with its strategy (the transfer dialog reads only id and name). */
export interface RingGroupListing extends RingGroupEntry {
  readonly strategy: RingStrategy;
}

/**
 * What happened with one agent for one inbound call. `answered`; rung but `declined` / `no-answer`; or not
 * rung because they were away, on a call, in wrap-up, offline or unreachable when the call was routed.
 */
export type RingOutcome = 'answered' | 'declined' | 'no-answer' | 'away' | 'on-call' | 'wrap-up' | 'offline' | 'unreachable';

export const RING_OUTCOME_WORDS: Readonly<Record<RingOutcome, string>> = {
  answered: 'Answered',
  declined: 'Declined',
  'no-answer': 'Did not answer',
  away: 'Away',
  'on-call': 'On another call',
  'wrap-up': 'In wrap-up',
  offline: 'Offline',
  unreachable: 'Unreachable',
};

/** One agent's outcome for a call, as history shows it (CallRecord.ringOutcomes). */
export interface CallRingOutcome {
  readonly identity: string;
  readonly displayName: string;
  readonly outcome: RingOutcome;
  /** ISO 8601. */
  readonly at: string;
}

/** The disposition stored with a call by its agent's wrap-up (CallRecord.disposition). */
export interface CallDisposition {
  readonly identity: string;
  /** A DISPOSITION_CODES id and its label. */
  readonly code: string;
  readonly label: string;
  readonly note: string | null;
  readonly at: string;
}

// ---------------------------------------------------------------- queue

/** A caller waiting because no agent of their route was available and reachable. */
export interface QueuedCall {
  readonly callSid: string;
  readonly from: string;
  /** The number's route, `group:<name>` or `agent:<identity>`. */
  readonly target: string;
  /** 1 = next to be offered. */
  readonly position: number;
  /** ISO 8601. */
  readonly enqueuedAt: string;
}

// ---------------------------------------------------------------- supervisor board

/** One agent on the board. */
export interface FloorAgent {
  readonly identity: string;
  readonly displayName: string;
  readonly role: 'agent' | 'supervisor';
  readonly availability: AgentAvailability;
  readonly reachability: AgentReachability;
  /** The customer call the agent is on (anchored in a conference), with its live quality; null when none. */
  readonly call: FloorCall | null;
}

export interface FloorCall {
  /** The customer's CallSid (the conference is `sb-<callSid>`): what listen / whisper / barge address. */
  readonly customerCallSid: string;
  /** The agent's own leg (whisper coaches it). */
  readonly agentCallSid: string;
  readonly direction: 'inbound' | 'outbound';
  /** The customer's number. */
  readonly party: string;
  /** ISO 8601: when the agent joined. */
  readonly since: string;
  /** From the agent's presence reports; null when the softphone has not reported one. */
  readonly quality: Omit<PresenceCallQuality, 'callSid'> | null;
}

/** Today's counts (since 00:00 in FLOOR_TIME_ZONE, default UTC), over inbound customer calls. */
export interface FloorCounts {
  readonly answered: number;
  /** Rung or queued, nobody answered (voicemail). */
  readonly missed: number;
  /** The caller hung up before anyone answered. */
  readonly abandoned: number;
  /** Seconds from arrival to answer, over answered calls; null when none. */
  readonly averageWaitSeconds: number | null;
  /** Seconds from answer to end, over answered calls that ended; null when none. */
  readonly averageHandleSeconds: number | null;
}

/** `GET /api/floor` (supervisors): the board's snapshot; `floor.*`, `agent.availability` and `agent.reachability` events keep it live. */
export interface FloorSnapshot {
  readonly agents: readonly FloorAgent[];
  readonly queue: readonly QueuedCall[];
  /** Seconds the longest-waiting caller has waited; null when the queue is empty. */
  readonly longestWaitSeconds: number | null;
  readonly counts: FloorCounts;
  /** ISO 8601: when the snapshot was taken (live events newer than this apply on top). */
  readonly at: string;
}

// ---------------------------------------------------------------- listen / whisper / barge

/**
 * How a supervisor is in an agent's customer call:
 * - listen: hears everyone, heard by nobody (muted);
 * - whisper: heard by the agent only (coaching the agent's leg), never by the customer;
 * - barge: heard by everyone.
 */
export type MonitorMode = 'listen' | 'whisper' | 'barge';
export const MONITOR_MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];

/** A monitoring supervisor's participant label is `monitor:<identity>` (agents' legs are `client:<identity>`). */
export const MONITOR_LABEL_PREFIX = 'monitor:';

/** The supervisor's identity of a monitoring leg's label; null for any other label. */
export function monitoringSupervisorOf(label: string | null | undefined): string | null {
  return label?.startsWith(MONITOR_LABEL_PREFIX) ? label.slice(MONITOR_LABEL_PREFIX.length) || null : null;
}

/**
 * Custom parameters of the supervisor's `device.connect()` to start monitoring: the outgoing webhook
 * admits a supervisor only (identity from the signed From), into `sb-<customerCallSid>` while an agent is on it.
 */
export const MONITOR_PARAMS = {
  callSid: 'SwitchboardMonitor',
  mode: 'SwitchboardMonitorMode',
} as const;

/** `PUT /api/calls/{customerCallSid}/monitor` (supervisors, while monitoring): change mode. */
export interface SetMonitorModeRequest {
  readonly mode: MonitorMode;
}

export interface MonitorState {
  readonly customerCallSid: string;
  readonly supervisor: string;
  /** The supervisor's own leg in the conference. */
  readonly callSid: string;
  readonly mode: MonitorMode;
}

// ---------------------------------------------------------------- live events

export const FLOOR_EVENTS = {
  /** The queue changed (a caller joined, was offered, left or went to voicemail). */
  queue: 'floor.queue',
  /** An agent's current call started, ended or changed quality. */
  call: 'floor.call',
  /** Today's counts changed (a call was answered, missed or abandoned). */
  counts: 'floor.counts',
  /** A supervisor started, changed or ended monitoring (to that supervisor and the monitored agent). */
  monitor: 'call.monitor',
} as const;

export interface FloorQueueEvent {
  readonly queue: readonly QueuedCall[];
  readonly longestWaitSeconds: number | null;
}

export interface FloorCallEvent {
  readonly identity: string;
  readonly call: FloorCall | null;
}

export type FloorCountsEvent = FloorCounts;

/** `call.monitor`: `mode` null when the supervisor left. */
export interface CallMonitorEvent {
  readonly customerCallSid: string;
  readonly supervisor: string;
  readonly supervisorDisplayName: string;
  readonly mode: MonitorMode | null;
}

declare module './live-events' {
  interface LiveEventMap {
    'floor.queue': FloorQueueEvent;
    'floor.call': FloorCallEvent;
    'floor.counts': FloorCountsEvent;
    'call.monitor': CallMonitorEvent;
  }
}
