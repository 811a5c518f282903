import { Inject, Injectable } from '@nestjs/common';
import type { QueuedCall } from '@switchboard/shared-contracts';
import { sql, type SQL } from 'drizzle-orm';
import { TERMINAL_CALL_STATUS_RANK } from '../call-state';
import { DATABASE, Database, rowsOf } from '../database';

export type QueueState = 'waiting' | 'offered' | 'answered' | 'voicemail' | 'abandoned';

export interface NewQueuedCall {
  readonly customerCallSid: string;
  readonly customerNumber: string;
  /** The number's route, `group:<name>` or `agent:<identity>`. */
  readonly target: string;
  /** Who the call may be offered to, in the route's order. */
  readonly members: readonly string[];
  readonly enqueuedAt: Date;
}

export interface QueueEntry extends NewQueuedCall {
  readonly state: QueueState;
  /** The agent it was last offered to (being rung while `offered`). */
  readonly offeredTo: string | null;
  readonly offeredAt: Date | null;
  /** Members already offered it, in order: never offered it again. */
  readonly tried: readonly string[];
  readonly answeredBy: string | null;
  readonly answeredAt: Date | null;
  /** When it left the queue (answered, voicemail or abandoned). */
  readonly endedAt: Date | null;
}

/** What a sweep of the calls' own records settled: the agents who joined, and the callers who left. */
export interface SettledFromRecords {
  readonly answered: QueueEntry[];
  readonly abandoned: QueueEntry[];
}

/** The conference a customer call is anchored in (as feature-twiml's conference-anchor names it). */
const ANCHOR_NAME_OF_QUEUED = sql.raw(`'sb-' || q.customer_call_sid`);
const OPEN = sql.raw(`q.state IN ('waiting', 'offered')`);

/**
 * Inbound customer calls waiting for an agent (issue 13, item 3), shared by every API instance. Every
 * change is one conditional UPDATE re-checked under the row's lock, so of two instances acting on one
 * call exactly one changes it; claims skip rows another instance holds (SKIP LOCKED).
 */
@Injectable()
export class QueueRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Queues a call; false when it was already queued (a retried webhook). */
  async enqueue(call: NewQueuedCall): Promise<boolean> {
    const rows = await this.rows(sql`
      INSERT INTO call_queue AS q (customer_call_sid, customer_number, target, members, state, enqueued_at)
      VALUES (${call.customerCallSid}, ${call.customerNumber}, ${call.target}, ${textArray(call.members)}, 'waiting', ${call.enqueuedAt.toISOString()})
      ON CONFLICT (customer_call_sid) DO NOTHING
      RETURNING q.*`);
    return rows.length === 1;
  }

  async find(customerCallSid: string): Promise<QueueEntry | undefined> {
    const [row] = await this.rows(sql`SELECT q.* FROM call_queue q WHERE q.customer_call_sid = ${customerCallSid}`);
    return row;
  }

  /**
   * The calls in the queue (waiting, or being offered to an agent), oldest first: position 1 is offered
   * next. `now` bounds arrivals (a call queued after it is not listed), so a board snapshot is consistent.
   */
  async waiting(now: Date = new Date()): Promise<QueuedCall[]> {
    const entries = await this.rows(sql`
      SELECT q.* FROM call_queue q WHERE ${OPEN} AND q.enqueued_at <= ${now.toISOString()}
      ORDER BY q.enqueued_at, q.customer_call_sid`);
    return entries.map((entry, index) => ({
      callSid: entry.customerCallSid, from: entry.customerNumber, target: entry.target, position: index + 1, enqueuedAt: entry.enqueuedAt.toISOString(),
    }));
  }

  /** The call's place in the queue (1 = next), null once it left it. */
  async position(customerCallSid: string): Promise<number | null> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT (SELECT count(*) FROM call_queue o WHERE o.state IN ('waiting', 'offered')
        AND (o.enqueued_at, o.customer_call_sid) <= (q.enqueued_at, q.customer_call_sid))::int AS position
      FROM call_queue q WHERE q.customer_call_sid = ${customerCallSid} AND ${OPEN}`)) as Array<{ position: number }>;
    return row ? Number(row.position) : null;
  }

  /** The calls in the queue, oldest first, as the dispatcher reads them. */
  async listOpen(): Promise<QueueEntry[]> {
    return this.rows(sql`SELECT q.* FROM call_queue q WHERE ${OPEN} ORDER BY q.enqueued_at, q.customer_call_sid`);
  }

  /**
   * Offers a waiting call to `identity`, who was never offered it and is offered no other call: the
   * entry when this call made the offer; undefined when another instance holds or changed the call, the
   * agent was tried, or the agent is being offered another call.
   */
  async offer(customerCallSid: string, identity: string, now: Date): Promise<QueueEntry | undefined> {
    try {
      const [row] = await this.rows(sql`
        UPDATE call_queue q SET state = 'offered', offered_to = ${identity}, offered_at = ${now.toISOString()},
          tried = array_append(q.tried, ${identity}::text)
        WHERE q.customer_call_sid = (
          SELECT c.customer_call_sid FROM call_queue c
          WHERE c.customer_call_sid = ${customerCallSid} AND c.state = 'waiting' AND NOT (${identity}::text = ANY (c.tried))
          FOR UPDATE SKIP LOCKED)
        AND q.state = 'waiting'
        AND NOT EXISTS (SELECT 1 FROM call_queue o WHERE o.state = 'offered' AND o.offered_to = ${identity})
        RETURNING q.*`);
      return row;
    } catch (error) {
      // Another instance offered that agent another call at the same moment (call_queue_one_offer_per_agent).
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** The offered agent did not answer: back to waiting (they stay tried). False when no longer that offer. */
  async returnToWaiting(customerCallSid: string, identity: string): Promise<QueueEntry | undefined> {
    const [row] = await this.rows(sql`
      UPDATE call_queue q SET state = 'waiting', offered_to = NULL
      WHERE q.customer_call_sid = ${customerCallSid} AND q.state = 'offered' AND q.offered_to = ${identity}
      RETURNING q.*`);
    return row;
  }

  /** Offers older than `offeredBefore` nobody settled (the ringing instance stopped): back to waiting. */
  async returnStaleOffers(offeredBefore: Date): Promise<QueueEntry[]> {
    return this.rows(sql`
      UPDATE call_queue q SET state = 'waiting', offered_to = NULL
      WHERE q.state = 'offered' AND q.offered_at < ${offeredBefore.toISOString()}
      RETURNING q.*`);
  }

  /** `identity` joined the caller's conference: answered, once. */
  async markAnswered(customerCallSid: string, identity: string, at: Date): Promise<QueueEntry | undefined> {
    const [row] = await this.rows(sql`
      UPDATE call_queue q SET state = 'answered', answered_by = ${identity}, answered_at = ${at.toISOString()}, ended_at = ${at.toISOString()}
      WHERE q.customer_call_sid = ${customerCallSid} AND ${OPEN}
      RETURNING q.*`);
    return row;
  }

  /** The caller hung up while queued: abandoned, once. */
  async markAbandoned(customerCallSid: string, at: Date): Promise<QueueEntry | undefined> {
    const [row] = await this.rows(sql`
      UPDATE call_queue q SET state = 'abandoned', ended_at = ${at.toISOString()}
      WHERE q.customer_call_sid = ${customerCallSid} AND ${OPEN}
      RETURNING q.*`);
    return row;
  }

  /**
   * Settles the queued calls from what the callbacks stored, whichever instance processed them: an agent
   * who joined the caller's conference answered it; a caller whose call ended, or who left the conference,
   * abandoned it. Answers are settled first (a caller who hung up after an agent joined was answered).
   */
  async settleFromRecords(now: Date): Promise<SettledFromRecords> {
    const answered = await this.rows(sql`
      UPDATE call_queue q SET state = 'answered', answered_by = p.agent_identity, answered_at = p.joined_at, ended_at = p.joined_at
      FROM conferences f JOIN conference_participants p ON p.conference_sid = f.conference_sid
      WHERE ${OPEN} AND f.friendly_name = ${ANCHOR_NAME_OF_QUEUED} AND p.agent_identity IS NOT NULL AND p.joined_at IS NOT NULL
      RETURNING q.*`);
    const abandoned = await this.rows(sql`
      UPDATE call_queue q SET state = 'abandoned', ended_at = ${now.toISOString()}
      WHERE ${OPEN} AND (
        EXISTS (SELECT 1 FROM calls c WHERE c.call_sid = q.customer_call_sid AND c.status_rank >= ${TERMINAL_CALL_STATUS_RANK})
        OR EXISTS (SELECT 1 FROM conferences f JOIN conference_participants p ON p.conference_sid = f.conference_sid
          WHERE f.friendly_name = ${ANCHOR_NAME_OF_QUEUED} AND p.call_sid = q.customer_call_sid AND p.left_at IS NOT NULL))
      RETURNING q.*`);
    return { answered, abandoned };
  }

  /**
   * Claims up to `limit` calls queued before `enqueuedBefore` for voicemail: each is claimed by exactly
   * one caller (rows another transaction holds are skipped, and the UPDATE re-checks the state).
   */
  async claimExpired(enqueuedBefore: Date, now: Date, limit: number): Promise<QueueEntry[]> {
    return this.rows(sql`
      UPDATE call_queue q SET state = 'voicemail', ended_at = ${now.toISOString()}
      WHERE ${OPEN} AND q.customer_call_sid IN (
        SELECT c.customer_call_sid FROM call_queue c WHERE c.state IN ('waiting', 'offered') AND c.enqueued_at <= ${enqueuedBefore.toISOString()}
        ORDER BY c.enqueued_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING q.*`);
  }

  /** A voicemail claim whose redirect could not be made (telephony did not answer): back in the queue, so a later claim retries. */
  async reopenClaimed(customerCallSid: string): Promise<boolean> {
    return (await this.rows(sql`
      UPDATE call_queue q SET state = 'waiting', offered_to = NULL, ended_at = NULL
      WHERE q.customer_call_sid = ${customerCallSid} AND q.state = 'voicemail'
      RETURNING q.*`)).length === 1;
  }

  /** A voicemail claim whose caller had already gone: abandoned instead. */
  async abandonClaimed(customerCallSid: string, at: Date): Promise<boolean> {
    return (await this.rows(sql`
      UPDATE call_queue q SET state = 'abandoned', ended_at = ${at.toISOString()}
      WHERE q.customer_call_sid = ${customerCallSid} AND q.state = 'voicemail'
      RETURNING q.*`)).length === 1;
  }

  private async rows(query: SQL): Promise<QueueEntry[]> {
    return (rowsOf(await this.database.db.execute(query)) as QueueRow[]).map(toEntry);
  }
}

/** A text[] parameter that both engines' drivers take the same way (drizzle would spread a JS array into a list). */
function textArray(values: readonly string[]): SQL {
  return sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error || (typeof current === 'object' && current !== null); ) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
    if (current === undefined) break;
  }
  return false;
}

interface QueueRow {
  customer_call_sid: string; customer_number: string; target: string; members: string[]; state: QueueState;
  offered_to: string | null; offered_at: Date | string | null; tried: string[]; enqueued_at: Date | string;
  answered_by: string | null; answered_at: Date | string | null; ended_at: Date | string | null;
}

const dateOrNull = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

function toEntry(row: QueueRow): QueueEntry {
  return {
    customerCallSid: row.customer_call_sid, customerNumber: row.customer_number, target: row.target, members: row.members,
    enqueuedAt: new Date(row.enqueued_at), state: row.state, offeredTo: row.offered_to, offeredAt: dateOrNull(row.offered_at),
    tried: row.tried, answeredBy: row.answered_by, answeredAt: dateOrNull(row.answered_at), endedAt: dateOrNull(row.ended_at),
  };
}
