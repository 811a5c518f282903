import { isTerminalCallStatus, type CallStatus, type TerminalCallStatus } from '@switchboard/shared-contracts';

/**
 * The one-way call state machine as ranks: a call only moves to a higher rank. All terminal statuses
 * share the top rank, so the first terminal status to arrive is final (a call has exactly one).
 */
const LIVE_RANKS: Readonly<Record<Exclude<CallStatus, TerminalCallStatus>, number>> = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  'in-progress': 3,
};
export const TERMINAL_CALL_STATUS_RANK = 4;

export function callStatusRank(status: CallStatus): number {
  return isTerminalCallStatus(status) ? TERMINAL_CALL_STATUS_RANK : LIVE_RANKS[status];
}
