import type { TransitionTable } from './machine';

/**
 * Call control of one customer call (issue 12), as seen by the agent's softphone.
 *
 * Hold:     idle-in-call → holding → held → resuming → idle-in-call.
 * Transfer: choosing → transfer-ringing → transferred (done: the agent is free) | returned-to-you.
 * Consult:  choosing → consult-ringing → consulting → completing → transferred | cancelling → idle-in-call
 *           | joining-three-way → three-way.
 * Rescue:   dropped → rejoin-offered (until expiresAt) → rejoining → back-in-call | expired.
 *
 * Unlike the call table, this one is keyed by event, because the same event leads to different
 * phases (a refused hold returns to idle-in-call, a refused resume to held): a reducer asks
 * {@link nextCallControlPhase} and records a refused move when it answers null.
 */
export type CallControlPhase =
  | 'no-call'
  | 'idle-in-call'
  | 'holding'
  | 'held'
  | 'resuming'
  | 'choosing-target'
  | 'choosing-while-held'
  | 'transfer-ringing'
  | 'transferred'
  | 'returned-to-you'
  | 'consult-ringing'
  | 'consulting'
  | 'completing'
  | 'cancelling'
  | 'joining-three-way'
  | 'three-way'
  | 'dropped'
  | 'rejoin-offered'
  | 'rejoining'
  | 'back-in-call'
  | 'expired';

export const CALL_CONTROL_PHASES: readonly CallControlPhase[] = [
  'no-call',
  'idle-in-call',
  'holding',
  'held',
  'resuming',
  'choosing-target',
  'choosing-while-held',
  'transfer-ringing',
  'transferred',
  'returned-to-you',
  'consult-ringing',
  'consulting',
  'completing',
  'cancelling',
  'joining-three-way',
  'three-way',
  'dropped',
  'rejoin-offered',
  'rejoining',
  'back-in-call',
  'expired',
];

export type CallControlEvent =
  /** The API says the agent's open call is controllable (conference-anchored). */
  | 'call-controllable'
  | 'hold-requested'
  | 'hold-confirmed'
  | 'resume-requested'
  | 'resume-confirmed'
  /** The API refused or could not be reached; the phase goes back to where the request started. */
  | 'request-failed'
  | 'transfer-opened'
  | 'transfer-dismissed'
  | 'cold-transfer-requested'
  | 'consult-requested'
  | 'target-answered'
  /** no-answer, declined, busy, failed, returned-to-you. */
  | 'target-missed'
  | 'cancel-requested'
  | 'cancel-confirmed'
  | 'complete-requested'
  | 'complete-confirmed'
  | 'three-way-requested'
  | 'three-way-confirmed'
  | 'notice-dismissed'
  /** The agent's leg ended without a hang-up (lost past the SDK's reconnection). */
  | 'leg-dropped'
  | 'rescue-offered'
  | 'rejoin-requested'
  | 'rejoin-confirmed'
  | 'rejoin-expired'
  | 'call-ended';

export const CALL_CONTROL_EVENTS_LIST: readonly CallControlEvent[] = [
  'call-controllable',
  'hold-requested',
  'hold-confirmed',
  'resume-requested',
  'resume-confirmed',
  'request-failed',
  'transfer-opened',
  'transfer-dismissed',
  'cold-transfer-requested',
  'consult-requested',
  'target-answered',
  'target-missed',
  'cancel-requested',
  'cancel-confirmed',
  'complete-requested',
  'complete-confirmed',
  'three-way-requested',
  'three-way-confirmed',
  'notice-dismissed',
  'leg-dropped',
  'rescue-offered',
  'rejoin-requested',
  'rejoin-confirmed',
  'rejoin-expired',
  'call-ended',
];

export type CallControlTable = Readonly<Record<CallControlPhase, Readonly<Partial<Record<CallControlEvent, CallControlPhase>>>>>;

/** With the customer and nothing pending: hold, transfer, consult; or the call ends or drops. */
const IN_CALL = {
  'hold-requested': 'holding',
  'transfer-opened': 'choosing-target',
  'leg-dropped': 'dropped',
  'call-ended': 'no-call',
} as const;

/** Any phase with a live agent leg can end or lose that leg. */
const LEG_LIVE = { 'leg-dropped': 'dropped', 'call-ended': 'no-call' } as const;

export const CALL_CONTROL_TRANSITIONS: CallControlTable = {
  'no-call': { 'call-controllable': 'idle-in-call', 'rescue-offered': 'rejoin-offered' },
  'idle-in-call': IN_CALL,
  holding: { 'hold-confirmed': 'held', 'request-failed': 'idle-in-call', ...LEG_LIVE },
  // On hold the agent can still transfer or consult (the customer keeps hearing music).
  held: { 'resume-requested': 'resuming', 'transfer-opened': 'choosing-while-held', ...LEG_LIVE },
  resuming: { 'resume-confirmed': 'idle-in-call', 'request-failed': 'held', ...LEG_LIVE },
  'choosing-target': {
    'transfer-dismissed': 'idle-in-call',
    'cold-transfer-requested': 'transfer-ringing',
    'consult-requested': 'consult-ringing',
    ...LEG_LIVE,
  },
  // The same choice with the customer on hold: dismissing it leaves them held.
  'choosing-while-held': {
    'transfer-dismissed': 'held',
    'cold-transfer-requested': 'transfer-ringing',
    'consult-requested': 'consult-ringing',
    ...LEG_LIVE,
  },
  'transfer-ringing': {
    'target-answered': 'transferred',
    'target-missed': 'returned-to-you',
    'request-failed': 'returned-to-you',
    'cancel-requested': 'cancelling',
    ...LEG_LIVE,
  },
  // Done: the target has the customer; the agent's own leg ends next.
  transferred: { 'call-ended': 'no-call', 'notice-dismissed': 'no-call' },
  // The reason stays shown until dismissed, but the agent can act on the call at once.
  'returned-to-you': { ...IN_CALL, 'notice-dismissed': 'idle-in-call' },
  'consult-ringing': {
    'target-answered': 'consulting',
    'target-missed': 'returned-to-you',
    'request-failed': 'returned-to-you',
    'cancel-requested': 'cancelling',
    ...LEG_LIVE,
  },
  consulting: {
    'complete-requested': 'completing',
    'cancel-requested': 'cancelling',
    'three-way-requested': 'joining-three-way',
    // The target hung up during the consult: the customer is back with the agent.
    'target-missed': 'returned-to-you',
    ...LEG_LIVE,
  },
  completing: { 'complete-confirmed': 'transferred', 'request-failed': 'consulting', ...LEG_LIVE },
  cancelling: { 'cancel-confirmed': 'idle-in-call', 'request-failed': 'consulting', ...LEG_LIVE },
  'joining-three-way': { 'three-way-confirmed': 'three-way', 'request-failed': 'consulting', ...LEG_LIVE },
  // Everyone together; holding the customer here would hold them from the target too, so not offered.
  'three-way': { ...LEG_LIVE },
  dropped: { 'rescue-offered': 'rejoin-offered', 'call-ended': 'no-call' },
  'rejoin-offered': { 'rejoin-requested': 'rejoining', 'rejoin-expired': 'expired', 'notice-dismissed': 'no-call' },
  rejoining: { 'rejoin-confirmed': 'back-in-call', 'request-failed': 'rejoin-offered', 'rejoin-expired': 'expired' },
  // Back with the customer (who is still held by the rescue): the agent resumes when ready.
  'back-in-call': { 'resume-requested': 'resuming', 'transfer-opened': 'choosing-while-held', 'notice-dismissed': 'held', ...LEG_LIVE },
  expired: { 'notice-dismissed': 'no-call', 'rescue-offered': 'rejoin-offered' },
};

/** The phase an event leads to, or null when the table refuses it. */
export function nextCallControlPhase(phase: CallControlPhase, event: CallControlEvent): CallControlPhase | null {
  return CALL_CONTROL_TRANSITIONS[phase][event] ?? null;
}

/** The same table as phase → phases, for the shared helpers (reachableFrom, canMove). */
export const CALL_CONTROL_MOVES: TransitionTable<CallControlPhase> = Object.fromEntries(
  CALL_CONTROL_PHASES.map((phase) => [phase, [...new Set(Object.values(CALL_CONTROL_TRANSITIONS[phase]))]]),
) as unknown as TransitionTable<CallControlPhase>;

/** The agent has a leg in the customer's call (controls are shown). */
export const isInControlledCall = (phase: CallControlPhase): boolean =>
  !['no-call', 'transferred', 'dropped', 'rejoin-offered', 'rejoining', 'expired'].includes(phase);

/** A request is in flight: buttons wait for it. */
export const isCallControlPending = (phase: CallControlPhase): boolean =>
  ['holding', 'resuming', 'completing', 'cancelling', 'joining-three-way', 'rejoining'].includes(phase);

/** The customer hears hold music (the agent holds them, consults someone, or was rescued). */
export const isCustomerHeld = (phase: CallControlPhase): boolean =>
  ['held', 'resuming', 'choosing-while-held', 'consult-ringing', 'consulting', 'completing', 'cancelling', 'joining-three-way', 'back-in-call'].includes(phase);

/** Each phase in words, for the control bar and announcements. */
export const CALL_CONTROL_PHASE_WORDS: Readonly<Record<CallControlPhase, string>> = {
  'no-call': 'No call',
  'idle-in-call': 'With the caller',
  holding: 'Putting the caller on hold…',
  held: 'Caller on hold',
  resuming: 'Taking the caller off hold…',
  'choosing-target': 'Choosing where to transfer',
  'choosing-while-held': 'Choosing where to transfer (the caller is on hold)',
  'transfer-ringing': 'Transferring: ringing the target',
  transferred: 'Call transferred',
  'returned-to-you': 'The caller is back with you',
  'consult-ringing': 'Consult: ringing the target',
  consulting: 'Consulting (the caller is on hold)',
  completing: 'Completing the transfer…',
  cancelling: 'Cancelling the transfer…',
  'joining-three-way': 'Joining everyone…',
  'three-way': 'Three-way call',
  dropped: 'Your connection to the call dropped',
  'rejoin-offered': 'The caller is waiting on hold: rejoin the call',
  rejoining: 'Rejoining the call…',
  'back-in-call': 'Back in the call (the caller is on hold)',
  expired: 'The caller could no longer wait and went to voicemail',
};
