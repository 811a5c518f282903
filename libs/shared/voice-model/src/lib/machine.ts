/** A transition table: for each phase, the phases it may move to. Readable data, as in xstate. */
export type TransitionTable<P extends string> = Readonly<Record<P, readonly P[]>>;

/** A move the table refused, kept in state so it can be logged instead of corrupting the phase. */
export interface RefusedMove<P extends string = string> {
  readonly from: P;
  readonly to: P;
  /** The action type (or event kind) that asked for the move. */
  readonly event: string;
}

export function canMove<P extends string>(table: TransitionTable<P>, from: P, to: P): boolean {
  return table[from].includes(to);
}

/** Every phase reachable from `start` by following the table (used by invariant tests and docs). */
export function reachableFrom<P extends string>(table: TransitionTable<P>, start: P): ReadonlySet<P> {
  const seen = new Set<P>([start]);
  const queue: P[] = [start];
  while (queue.length > 0) {
    const phase = queue.shift() as P;
    for (const next of table[phase]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
