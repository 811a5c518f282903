import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import type { CallRingOutcome, RingOutcome } from '@switchboard/shared-contracts';
import { DATABASE, Database, rowsOf, type Db } from '../database';

/**
 * How strong an outcome is: a row only ever moves to a stronger one. An answer is the last word; a ringing
 * that ended (declined, no answer) says more than a reason not to ring, which a queued caller's later
 * offer to the same agent can overtake. Between equals the first stays, so a replay changes nothing.
 */
export const RING_OUTCOME_RANK: Readonly<Record<RingOutcome, number>> = {
  answered: 3,
  declined: 2,
  'no-answer': 2,
  away: 1,
  'on-call': 1,
  'wrap-up': 1,
  offline: 1,
  unreachable: 1,
};

export interface RingOutcomeEntry {
  readonly identity: string;
  readonly outcome: RingOutcome;
}

/** Why each member of an inbound call's route was not rung, or how their ringing ended (issue 13, item 3). */
@Injectable()
export class RingOutcomesRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Stores each agent's outcome for the call, in one statement; an agent who already has an outcome as
   * strong or stronger keeps it. Answers the entries that were stored or changed.
   */
  async record(callSid: string, entries: readonly RingOutcomeEntry[], at: Date): Promise<RingOutcomeEntry[]> {
    if (entries.length === 0) return [];
    const rows = rowsOf(await this.database.db.execute(sql`
      INSERT INTO call_ring_outcomes (call_sid, identity, outcome, rank, at)
      SELECT ${callSid}, e.identity, e.outcome, e.rank, ${at.toISOString()}::timestamptz
      FROM unnest(${sql.param(entries.map((e) => e.identity))}::text[], ${sql.param(entries.map((e) => e.outcome))}::text[],
        ${sql.param(entries.map((e) => RING_OUTCOME_RANK[e.outcome]))}::int[]) AS e(identity, outcome, rank)
      ON CONFLICT (call_sid, identity) DO UPDATE SET outcome = excluded.outcome, rank = excluded.rank, at = excluded.at
        WHERE excluded.rank > call_ring_outcomes.rank
      RETURNING identity, outcome`)) as Array<{ identity: string; outcome: RingOutcome }>;
    return rows.map((row) => ({ identity: row.identity, outcome: row.outcome }));
  }

  /** One call's outcomes as history shows them. */
  async forCall(callSid: string): Promise<CallRingOutcome[]> {
    return (await loadCallRingOutcomes(this.database.db, [callSid])).get(callSid) ?? [];
  }
}

/**
 * The ring outcomes of a history page's calls, in one statement, by when they were decided (then by
 * identity). Agents are named from the directory as it is now (the identity when an agent was removed since).
 */
export async function loadCallRingOutcomes(db: Db, callSids: readonly string[]): Promise<Map<string, CallRingOutcome[]>> {
  const bySid = new Map<string, CallRingOutcome[]>();
  if (callSids.length === 0) return bySid;
  const rows = rowsOf(await db.execute(sql`
    SELECT o.call_sid, o.identity, COALESCE(a.display_name, o.identity) AS display_name, o.outcome, o.at
    FROM call_ring_outcomes o LEFT JOIN agents a ON a.identity = o.identity
    WHERE o.call_sid = ANY(${sql.param([...callSids])}::text[])
    ORDER BY o.at, o.identity`)) as Array<{ call_sid: string; identity: string; display_name: string; outcome: RingOutcome; at: Date | string }>;
  for (const row of rows) {
    const list = bySid.get(row.call_sid) ?? [];
    list.push({ identity: row.identity, displayName: row.display_name, outcome: row.outcome, at: new Date(row.at).toISOString() });
    bySid.set(row.call_sid, list);
  }
  return bySid;
}
