import type { TransferChange, TransferMissReason, TransferOutcome, TransferRecord } from '@switchboard/api-data-access-db';
import type { ConsultAction } from '@switchboard/shared-contracts';

/**
 * How far a target leg's call has got. A later callback never moves a leg back (callbacks may arrive
 * out of order or twice); among ended statuses the first one told stays.
 */
const LEG_RANK: Readonly<Record<string, number>> = {
  dialled: 0, queued: 1, initiated: 1, ringing: 2, 'in-progress': 3, answered: 3,
  completed: 4, 'no-answer': 4, busy: 4, failed: 4, canceled: 4,
};

export const isLegEnded = (status: string | undefined) => status !== undefined && (LEG_RANK[status] ?? 0) >= 4;

/** Twilio's call statuses as a target leg's status callback carries them; anything else is not applied. */
export const isKnownLegStatus = (status: string) => status in LEG_RANK;

/**
 * What a leg's new status changes in its transfer, or null when nothing (a duplicate, a late or
 * out-of-order callback). A leg's first `in-progress` while the transfer rings answers it (first answer
 * wins); when every dialled leg has ended with none answered, the transfer missed with a reason. The
 * caller acts on the transition (removing the first agent, or bringing the customer back) after it is
 * stored, so only the one callback that made it acts, on whatever instance.
 */
export function applyLegStatus(transfer: TransferRecord, callSid: string, status: string): TransferChange | null {
  const known = transfer.targetLegs[callSid];
  const merged = mergeLeg(known, status);
  if (merged === known) return null;
  const targetLegs = { ...transfer.targetLegs, [callSid]: merged };
  // The target hung up while the agents talked: the consult is over, the customer comes back to the first agent.
  if (isOpenConsult(transfer) && callSid === transfer.answeredCallSid && isLegEnded(merged)) {
    return { targetLegs, status: 'returned-to-you', outcome: 'returned' };
  }
  if (transfer.status !== 'ringing-target') return { targetLegs };
  if (merged === 'in-progress' || merged === 'answered') {
    // A consult's answer only lets the agents talk: it stays open (no outcome) until the first agent acts.
    return { targetLegs, status: 'answered', outcome: transfer.mode === 'cold' ? 'transferred' : null, answeredCallSid: callSid };
  }
  return { targetLegs, ...missIfAllEnded(transfer, targetLegs) };
}

/** A consult whose target answered and which the first agent has not finished: the agents talk, the customer is held. */
export const isOpenConsult = (transfer: TransferRecord) => transfer.mode === 'consult' && transfer.status === 'answered' && transfer.outcome === null;

/** The outcome each consult action leaves on the record. */
export const CONSULT_OUTCOMES: Readonly<Record<ConsultAction, TransferOutcome>> = { complete: 'completed', cancel: 'cancelled', 'three-way': 'three-way' };

/**
 * What a consult action changes, or null when the transfer is not in a state it applies to: complete and
 * three-way need an open consult; cancel also withdraws a transfer (cold or consult) whose target still rings.
 */
export function consultAction(transfer: TransferRecord, action: ConsultAction): TransferChange | null {
  if (action === 'cancel') {
    return transfer.status === 'ringing-target' || isOpenConsult(transfer) ? { status: 'cancelled', outcome: 'cancelled' } : null;
  }
  return isOpenConsult(transfer) ? { outcome: CONSULT_OUTCOMES[action] } : null;
}

/** The provider accepted a dial: the leg is known (unless a callback already told more of it). */
export function registerLeg(transfer: TransferRecord, callSid: string): TransferChange | null {
  if (transfer.targetLegs[callSid] !== undefined) return null;
  return { targetLegs: { ...transfer.targetLegs, [callSid]: 'dialled' } };
}

/** A dial the provider refused: one leg fewer to wait for. */
export function dialFailed(transfer: TransferRecord, failedDials: number): TransferChange | null {
  const expectedLegs = Math.max(0, transfer.expectedLegs - failedDials);
  if (transfer.status !== 'ringing-target') return { expectedLegs };
  const miss = missIfAllEnded({ ...transfer, expectedLegs }, transfer.targetLegs, 'failed');
  return { expectedLegs, ...miss };
}

function mergeLeg(known: string | undefined, status: string): string {
  if (known === undefined) return status;
  const [was, now] = [LEG_RANK[known] ?? 0, LEG_RANK[status] ?? 0];
  if (was >= 4) return known;
  return now > was ? status : known;
}

function missIfAllEnded(transfer: TransferRecord, legs: Readonly<Record<string, string>>, nothingDialled?: TransferMissReason): TransferChange {
  const statuses = Object.values(legs);
  const ended = statuses.filter(isLegEnded);
  if (ended.length < transfer.expectedLegs || statuses.length > ended.length) return {};
  const reason = nothingDialled !== undefined && ended.length === 0 ? nothingDialled : missReason(transfer, ended);
  return { status: 'returned-to-you', missReason: reason, outcome: 'returned' };
}

/**
 * Why nobody took the transfer, the most telling first: some target did not answer; a busy agent leg
 * is how Twilio reports a softphone that declined; a leg that answered and ended before the transfer
 * could act (`completed` with no `in-progress` seen) is a failure, as is anything else.
 */
function missReason(transfer: TransferRecord, ended: readonly string[]): TransferMissReason {
  if (ended.includes('no-answer') || ended.includes('canceled')) return 'no-answer';
  if (ended.includes('busy')) return transfer.targetKind === 'number' ? 'busy' : 'declined';
  return 'failed';
}
