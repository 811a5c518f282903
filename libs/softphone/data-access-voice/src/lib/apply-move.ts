import { canMove, type RefusedMove, type TransitionTable } from '@switchboard/shared-voice-model';

/**
 * Apply a move the table allows. A repeated report of the current phase is a no-op (the SDK
 * repeats itself, e.g. `registered` after each re-register); any other move the table does not
 * allow keeps the phase and is returned as refused, so the reducer can record it.
 */
export function applyMove<P extends string>(
  table: TransitionTable<P>,
  from: P,
  to: P,
  event: string,
): { readonly allowed: true } | { readonly allowed: false; readonly refused: RefusedMove<P> } {
  if (from === to || canMove(table, from, to)) return { allowed: true };
  return { allowed: false, refused: { from, to, event } };
}
