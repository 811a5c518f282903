import type { ApiErrorBody, CallCapRefusalReason, NumberRefusalReason } from './api-contracts';

/**
 * Call control (issue 12): hold, transfer, consult and rescue of a customer call anchored in a
 * conference. Every route is addressed by the CallSid of the agent's own leg (what the softphone
 * knows), answered only to participants of that call, and listed in API_ROUTES.calls.
 */

// ---------------------------------------------------------------- participants

export type ParticipantRole = 'customer' | 'agent' | 'supervisor';

/** One party of the conference, as the agent's in-call view shows it. */
export interface CallParticipant {
  /** Stable within the call (the participant's CallSid); the list's track key. */
  readonly participantId: string;
  /** A colleague's directory name, or the customer's name/number as it may be shown. */
  readonly displayName: string;
  /** Agents and supervisors: their identity. Null for the customer. */
  readonly identity: string | null;
  /** The customer: the number with all but the last digits masked (`+1 ••• ••• 0100`). Null for agents. */
  readonly maskedNumber: string | null;
  readonly role: ParticipantRole;
  readonly held: boolean;
  readonly muted: boolean;
  /** ISO 8601 instant the participant joined the conference. */
  readonly joinedAt: string;
}

/** `GET /api/calls/{callSid}/participants`. */
export interface CallParticipantsResponse {
  readonly callSid: string;
  /**
   * Whether this call is anchored in a conference and so can be held, transferred and rescued.
   * False for direct agent-to-agent calls: the softphone then shows no call-control buttons.
   */
  readonly controllable: boolean;
  readonly participants: readonly CallParticipant[];
}

// ---------------------------------------------------------------- hold

/** `POST /api/calls/{callSid}/hold`: holds (true) or resumes (false) the customer. */
export interface HoldRequest {
  readonly hold: boolean;
}

export interface HoldResponse {
  readonly callSid: string;
  readonly held: boolean;
  /** ISO 8601 instant the hold began (the held timer's start); null once resumed. */
  readonly heldSince: string | null;
}

// ---------------------------------------------------------------- transfer and consult

export type TransferTarget =
  | { readonly kind: 'agent'; readonly identity: string }
  | { readonly kind: 'ring-group'; readonly id: string }
  /** E.164, validated by the same rule as the dialer; the number policy and call caps apply. */
  | { readonly kind: 'number'; readonly number: string };

export type TransferTargetKind = TransferTarget['kind'];

/** cold: the customer goes to the target, the agent is free once it answers. consult: the agent talks to the target first. */
export type TransferMode = 'cold' | 'consult';

export const TRANSFER_MODES: readonly TransferMode[] = ['cold', 'consult'];

/** A ring group the transfer dialog offers beside the agent directory. */
export interface RingGroupEntry {
  readonly id: string;
  readonly name: string;
}

/** `POST /api/calls/{callSid}/transfer`. */
export interface TransferRequest {
  readonly target: TransferTarget;
  readonly mode: TransferMode;
}

/** Where a transfer or consult is, as the API reports it (HTTP answer and `call.transfer` events). */
export type TransferStatus =
  | 'ringing-target'
  | 'answered'
  | 'no-answer'
  | 'declined'
  | 'busy'
  | 'failed'
  | 'cancelled'
  | 'returned-to-you';

export const TRANSFER_STATUSES: readonly TransferStatus[] = [
  'ringing-target',
  'answered',
  'no-answer',
  'declined',
  'busy',
  'failed',
  'cancelled',
  'returned-to-you',
];

/** Each status in the words the agent reads (and hears). */
export const TRANSFER_STATUS_WORDS: Readonly<Record<TransferStatus, string>> = {
  'ringing-target': 'Ringing the transfer target',
  answered: 'Answered',
  'no-answer': 'No answer',
  declined: 'Declined',
  busy: 'Busy',
  failed: 'Transfer failed',
  cancelled: 'Transfer cancelled',
  'returned-to-you': 'The caller is back with you',
};

/** The target missed the transfer: the customer comes back to the agent. */
export const isTransferMiss = (status: TransferStatus): boolean =>
  status === 'no-answer' || status === 'declined' || status === 'busy' || status === 'failed' || status === 'returned-to-you';

export interface TransferResponse {
  readonly callSid: string;
  /** One transfer attempt; `call.transfer` events carry it. */
  readonly transferId: string;
  readonly mode: TransferMode;
  readonly status: TransferStatus;
  /** The target as the agent should read it (directory name, group name, formatted number). */
  readonly targetDisplay: string;
}

/**
 * `POST /api/calls/{callSid}/consult/{action}`: what to do with a consult in progress. `cancel` also
 * withdraws a transfer whose target is still ringing (the customer stays with the agent).
 */
export type ConsultAction = 'complete' | 'cancel' | 'three-way';

export const CONSULT_ACTIONS: readonly ConsultAction[] = ['complete', 'cancel', 'three-way'];

export interface ConsultActionResponse {
  readonly callSid: string;
  readonly action: ConsultAction;
  /** After `complete` the agent has left: an empty list. */
  readonly participants: readonly CallParticipant[];
}

// ---------------------------------------------------------------- rescue

/** A call the agent dropped out of (reload, crash, network) that waits on hold for them. */
export interface RejoinableCall {
  /** The CallSid the rejoin route is addressed by (the agent's former leg). */
  readonly callSid: string;
  /** Who waits: directory name or masked number. */
  readonly customerDisplay: string;
  /** ISO 8601: after this the customer goes to voicemail and rejoin answers 410. */
  readonly expiresAt: string;
}

/**
 * `POST /api/calls/{callSid}/rejoin`: the API admits the agent back; the softphone then places
 * the call it names (`device.connect({ to, params })`), which the outgoing webhook puts into the
 * same conference.
 */
export interface RejoinResponse {
  readonly callSid: string;
  readonly to: string;
  readonly params: Readonly<Record<string, string>>;
}

/** `GET /api/calls/rejoinable`: the agent's open rescues, soonest to expire first. */
export interface RejoinableCallsResponse {
  readonly calls: readonly RejoinableCall[];
}

/**
 * The custom parameter of the call the softphone places to rejoin (RejoinResponse.params carries it):
 * its value names the rescue; the outgoing webhook admits only the agent it was opened for.
 */
export const REJOIN_PARAM = 'SwitchboardRejoin';

/**
 * `POST /api/calls/{callSid}/hang-up`: the agent leaves a conference-anchored call on purpose. The API
 * takes the leg out (so its leaving is known to be intended, and no rescue follows) and ends the call for
 * the customer when no other agent stays. The softphone disconnects locally if this fails.
 */
export interface HangUpResponse {
  readonly callSid: string;
  /** True when the customer's call was ended too (the agent was the last one with them). */
  readonly customerCallEnded: boolean;
}

// ---------------------------------------------------------------- errors

/**
 * What a call-control route answers when it will not act, in the `code` of the error body:
 * - not-a-participant: 403 (the call exists, the agent is not in it) or 404 (no such call for this agent);
 * - call-gone: 410, the call ended (or the rejoin window passed);
 * - target-unavailable: 409, the agent/group cannot ring now (offline, busy, away), or a transfer is already ringing;
 * - number-refused / call-cap: 422 / 429, the number policy or a toll-fraud cap (the existing vocabulary in `reason`);
 * - invalid-request: 400, a malformed body (e.g. a number that is not E.164).
 */
export type CallControlErrorCode = 'not-a-participant' | 'call-gone' | 'target-unavailable' | 'number-refused' | 'call-cap' | 'invalid-request';

export const CALL_CONTROL_ERROR_STATUS: Readonly<Record<CallControlErrorCode, readonly number[]>> = {
  'not-a-participant': [403, 404],
  'call-gone': [410],
  'target-unavailable': [409],
  'number-refused': [422],
  'call-cap': [429],
  'invalid-request': [400],
};

/** The error body of a call-control route: the house `ApiErrorBody` plus a code and, for refusals, the reason. */
export interface CallControlErrorBody extends ApiErrorBody {
  readonly code: CallControlErrorCode;
  readonly reason?: NumberRefusalReason | CallCapRefusalReason;
}

// ---------------------------------------------------------------- live events

/** Event names on the real-time channel; the SSE envelope (live-events.ts) carries these payloads. */
export const CALL_CONTROL_EVENTS = {
  participants: 'call.participants',
  transfer: 'call.transfer',
  rescueAvailable: 'call.rescue-available',
  farEnd: 'call.far-end',
} as const;

export type CallControlEventName = (typeof CALL_CONTROL_EVENTS)[keyof typeof CALL_CONTROL_EVENTS];

/** `call.participants`: the whole current list (not a diff), so a missed event heals at the next one. */
export interface CallParticipantsEvent {
  readonly callSid: string;
  readonly controllable: boolean;
  readonly participants: readonly CallParticipant[];
}

/** `call.transfer`: a transfer or consult moved on. */
export interface CallTransferEvent {
  readonly callSid: string;
  readonly transferId: string;
  readonly mode: TransferMode;
  readonly status: TransferStatus;
  readonly targetDisplay: string;
}

/** `call.rescue-available`: the agent's leg dropped; they may rejoin until `expiresAt`. */
export interface CallRescueAvailableEvent {
  readonly rejoinable: RejoinableCall;
}

/** Where the number of an agent's anchored phone call is: rings, answers, or ends unanswered (the miss is final). */
export type FarEndStatus = 'ringing' | 'answered' | 'no-answer' | 'busy' | 'failed';

/**
 * `call.far-end`: the number an agent dialled with CUSTOMER_CALL_ANCHOR=conference. The agent's own leg is
 * answered at once by their conference, so only this says whether the number picked up. `callSid` is the
 * agent's leg. Not sent for direct calls (their SDK call rings until the number answers).
 */
export interface CallFarEndEvent {
  readonly callSid: string;
  readonly state: FarEndStatus;
}

// The real-time channel's envelope (live-events.ts) learns these types here, so `switch (event.type)` narrows `data`.
declare module './live-events' {
  interface LiveEventMap {
    'call.participants': CallParticipantsEvent;
    'call.transfer': CallTransferEvent;
    'call.rescue-available': CallRescueAvailableEvent;
    'call.far-end': CallFarEndEvent;
  }
}
