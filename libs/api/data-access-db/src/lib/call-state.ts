import { CALL_STATUSES, type CallStatus } from '@switchboard/shared-contracts';

/**
 * The one-way call state machine as ranks: a call only moves to a higher rank. All terminal statuses
 * share the top rank, so the first terminal status to arrive is final (a call has exactly one).
 */
const RANKS: Readonly<Record<CallStatus, number>> = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  'in-progress': 3,
  completed: 4,
  busy: 4,
  'no-answer': 4,
  canceled: 4,
  failed: 4,
};

export function isKnownCallStatus(value: string): value is CallStatus {
  return (CALL_STATUSES as readonly string[]).includes(value);
}

export function callStatusRank(status: CallStatus): number {
  return RANKS[status];
}

export function isTerminalCallStatus(status: CallStatus): boolean {
  return RANKS[status] === RANKS.completed;
}
