import { Inject, Injectable, Optional } from '@nestjs/common';
import { desc, count, eq, sql } from 'drizzle-orm';
import { isCallStatus, type CallDirection, type CallRecord, type CallStatus } from '@switchboard/shared-contracts';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { callStatusRank, TERMINAL_CALL_STATUS_RANK } from '../call-state';
import { DATABASE, Database, rowsOf } from '../database';
import { calls } from '../schema';
import { loadCallDispositions } from './call-dispositions.repository';
import { runStatement } from './raw-statement';
import { historyCallOf, loadCallHandoffs } from './call-handoffs.repository';
import { loadCallRingOutcomes } from './ring-outcomes.repository';
import { loadCallQualityBadges } from './quality.repository';

export interface StatusEvent {
  readonly callSid: string;
  readonly callStatus: string;
  readonly sequenceNumber: string;
  readonly payload: Readonly<Record<string, string>>;
  readonly from: string | null;
  readonly to: string | null;
  readonly direction: CallDirection;
  readonly durationSeconds: number | null;
  readonly at: Date;
}

/** The call_events status that marks a line test's leg (never a Twilio CallStatus). */
export const LINE_TEST_MARKER = 'switchboard-line-test';

/** 'stored' = new event; 'duplicate' = already stored, nothing changed. */
export type StatusEventOutcome = 'stored' | 'duplicate';

/**
 * A status callback, once: the event row is stored once (call_events_once); only a new event of a known
 * status ($6) that is not a line test's leg (issue 14: its events are kept, no call row is made) upserts
 * the call, which only moves forward: a status of lower or equal rank never replaces the current one, so
 * duplicates and any arrival order end in the same record. Returns a row only when the event was new.
 * The calls upsert is a data-modifying CTE: Postgres runs it to completion though nothing reads it.
 */
const APPLY_STATUS_EVENT_SQL = `
      WITH event AS (
        INSERT INTO call_events (call_sid, call_status, sequence_number, payload)
        VALUES ($1, $2, $3, $4::jsonb)
        ON CONFLICT ON CONSTRAINT call_events_once DO NOTHING
        RETURNING EXISTS (SELECT 1 FROM call_events WHERE call_sid = $1 AND call_status = $5) AS line_test
      ), moved AS (
        INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, duration_seconds, started_at, ended_at)
        SELECT $1::text, $7::text, $8::text, $9::text, $2::text, $10::int, $11::int, $12::timestamptz, $13::timestamptz
        FROM event WHERE $6::boolean AND NOT event.line_test
        ON CONFLICT (call_sid) DO UPDATE SET
          status = CASE WHEN excluded.status_rank > calls.status_rank THEN excluded.status ELSE calls.status END,
          duration_seconds = CASE WHEN excluded.status_rank > calls.status_rank THEN excluded.duration_seconds ELSE calls.duration_seconds END,
          ended_at = CASE WHEN excluded.status_rank > calls.status_rank THEN excluded.ended_at ELSE calls.ended_at END,
          status_rank = GREATEST(calls.status_rank, excluded.status_rank),
          from_number = CASE WHEN calls.from_number = '' THEN excluded.from_number ELSE calls.from_number END,
          to_number = CASE WHEN calls.to_number = '' THEN excluded.to_number ELSE calls.to_number END,
          started_at = LEAST(calls.started_at, excluded.started_at)
      )
      SELECT 1 AS stored FROM event`;

@Injectable()
export class CallsRepository {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    /** For the disposition labels in history (DISPOSITION_CODES); without it a disposition shows its code. */
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  /**
   * Stores a status callback once (unique CallSid + CallStatus + SequenceNumber) and moves the call
   * forward only: a status of lower or equal rank never replaces the current one, so duplicates and
   * any arrival order end in the same record. Unknown statuses are stored but move nothing.
   */
  async applyStatusEvent(event: StatusEvent): Promise<StatusEventOutcome> {
    const rank = isCallStatus(event.callStatus) ? callStatusRank(event.callStatus) : null;
    const isTerminal = rank === TERMINAL_CALL_STATUS_RANK;
    const at = event.at.toISOString();
    // One statement (atomic on its own, no transaction around two) straight on the driver (runStatement): every
    // status callback runs it. Its only result read is whether the event row was new.
    const result = await runStatement(this.database, APPLY_STATUS_EVENT_SQL, [
      event.callSid, event.callStatus, event.sequenceNumber, JSON.stringify(event.payload), LINE_TEST_MARKER, rank !== null,
      event.direction, event.from ?? '', event.to ?? '', rank ?? 0, isTerminal ? event.durationSeconds : null, at, isTerminal ? at : null,
    ]);
    return rowsOf(result).length > 0 ? 'stored' : 'duplicate';
  }

  /**
   * Marks `callSid` as a line test (the SDK's preflight call, issue 14) with a marker event, so status
   * callbacks for it store their events but never create a history call. Idempotent.
   */
  async markLineTest(callSid: string): Promise<void> {
    await this.database.db.execute(sql`
      INSERT INTO call_events (call_sid, call_status, sequence_number, payload)
      VALUES (${callSid}, ${LINE_TEST_MARKER}, '', '{}'::jsonb)
      ON CONFLICT ON CONSTRAINT call_events_once DO NOTHING`);
  }

  async findBySid(callSid: string): Promise<(CallRecord & { voicemailTarget: string | null }) | undefined> {
    const [row] = await this.database.db.select().from(calls).where(eq(calls.callSid, callSid)).limit(1);
    return row ? { ...toCallRecord(row), voicemailTarget: row.voicemailTarget } : undefined;
  }

  /**
   * Leases up to `limit` calls still not terminal `olderThanSeconds` after they started to the caller
   * for `leaseSeconds`: a second instance reconciling at the same time skips them (FOR UPDATE SKIP
   * LOCKED, then the lease), and a call still live at the provider is looked at again after the lease.
   */
  async claimStale(olderThanSeconds: number, leaseSeconds: number, limit: number): Promise<Array<{ callSid: string; direction: CallDirection }>> {
    const result = await this.database.db.execute(sql`
      UPDATE calls SET reconcile_after = now() + make_interval(secs => ${leaseSeconds})
      WHERE call_sid IN (
        SELECT call_sid FROM calls
        WHERE status_rank < ${TERMINAL_CALL_STATUS_RANK}
          AND started_at <= now() - make_interval(secs => ${olderThanSeconds})
          AND (reconcile_after IS NULL OR reconcile_after <= now())
        ORDER BY started_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING call_sid, direction`);
    return (rowsOf(result) as Array<{ call_sid: string; direction: CallDirection }>).map((row) => ({ callSid: row.call_sid, direction: row.direction }));
  }

  async countEvents(callSid: string): Promise<number> {
    const result = await this.database.db.execute(sql`SELECT count(*)::int AS n FROM call_events WHERE call_sid = ${callSid}`);
    return (rowsOf(result)[0] as { n: number }).n;
  }

  /**
   * The calls in an agent's history, newest first, each with its handoffs (one more statement per page).
   * An agent's calls are those they made or were rung for (call_participants) and every call whose
   * conference they were in (historyCallOf: the customer's call, or the agent's own phone call it was
   * opened for): a transfer target or consulted agent sees the call as the agent who moved it does. Read
   * from the conference record at query time, not copied into call_participants, so the callback path
   * writes nothing more and the answer is as idempotent and order-independent as that record. Any other
   * leg in a conference (an agent's leg dialled in over REST, a rejoin leg, a transfer's number leg, the
   * number an agent's anchored phone call dialled) is part of that call, never a call of its own.
   */
  async pageForAgent(
    identity: string, page: number, pageSize: number, qualityScope: 'own' | 'worst' = 'own',
  ): Promise<{ items: CallRecord[]; total: number }> {
    const where = sql`${calls.callSid} IN (
        SELECT call_sid FROM call_participants WHERE agent_identity = ${identity}
        UNION
        SELECT ${historyCallOf('f')} FROM conference_participants p JOIN conferences f ON f.conference_sid = p.conference_sid
        WHERE p.agent_identity = ${identity})
      AND NOT EXISTS (
        SELECT 1 FROM conference_participants p JOIN conferences f ON f.conference_sid = p.conference_sid
        WHERE p.call_sid = ${calls.callSid} AND ${historyCallOf('f')} IS DISTINCT FROM p.call_sid
          -- A conference whose call is not known yet hides only a known agent leg: the customer's call must never vanish.
          AND (${historyCallOf('f')} IS NOT NULL OR p.agent_identity IS NOT NULL))`;
    const [rows, [{ total }]] = await Promise.all([
      this.database.db.select().from(calls).where(where).orderBy(desc(calls.startedAt), desc(calls.id))
        .limit(pageSize).offset((page - 1) * pageSize),
      this.database.db.select({ total: count() }).from(calls).where(where),
    ]);
    const [handoffs, ringOutcomes, dispositions, quality] = await Promise.all([
      loadCallHandoffs(this.database.db, rows.map((row) => row.callSid)),
      // Only inbound calls are routed to agents: an outbound call has no ring outcomes.
      loadCallRingOutcomes(this.database.db, rows.filter((row) => row.direction === 'inbound').map((row) => row.callSid)),
      loadCallDispositions(this.database.db, rows.map((row) => row.callSid), this.config?.availability.dispositionCodes ?? []),
      // Issue 14: the viewer's own leg's badge (a supervisor's: the worst leg), one statement for the page.
      loadCallQualityBadges(this.database.db, rows, identity, qualityScope),
    ]);
    return {
      items: rows.map((row) => ({ ...toCallRecord(row), handoffs: handoffs.get(row.callSid) ?? [], ringOutcomes: ringOutcomes.get(row.callSid) ?? [],
        dispositions: dispositions.get(row.callSid) ?? [], quality: quality.get(row.id) ?? null })),
      total,
    };
  }
}

function toCallRecord(row: typeof calls.$inferSelect): CallRecord {
  return {
    id: row.id,
    callSid: row.callSid,
    direction: row.direction,
    from: row.fromNumber,
    to: row.toNumber,
    status: row.status as CallStatus,
    durationSeconds: row.durationSeconds,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt ? row.endedAt.toISOString() : null,
    // Filled in for history by the handoffs lookup; a record read for routing needs none.
    handoffs: [],
    // Filled in for history by their lookups (issue 13): the wrap-ups' dispositions and the ring outcomes.
    dispositions: [],
    ringOutcomes: [],
    // Filled in for history by loadCallQualityBadges (issue 14).
    quality: null,
  };
}
