import { Inject, Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import type { AvailabilityActor, AvailabilityState } from '@switchboard/shared-contracts';
import { DATABASE, Database, rowsOf } from '../database';

export interface AvailabilityRecord {
  readonly identity: string;
  readonly state: AvailabilityState;
  /** Away reason id; null unless away. */
  readonly reason: string | null;
  readonly since: Date;
  /** The call an on-call or wrap-up state is about; null otherwise. */
  readonly callSid: string | null;
  /** When a wrap-up ends by itself; null when not in wrap-up or when it lasts until the agent ends it. */
  readonly wrapUpEndsAt: Date | null;
}

export interface AvailabilityTransition {
  readonly previous: AvailabilityRecord;
  readonly current: AvailabilityRecord;
  readonly by: AvailabilityActor;
}

export interface AvailabilityChangeRequest {
  readonly identity: string;
  readonly to: AvailabilityState;
  readonly reason: string | null;
  readonly callSid: string | null;
  readonly wrapUpEndsAt: Date | null;
  /** The change is made only while the agent's state is one of these (and on this call, when given). */
  readonly fromStates: readonly AvailabilityState[];
  readonly fromCallSid?: string;
  readonly by: AvailabilityActor;
  readonly at: Date;
  /** Stored with the call the agent was in (the previous state's call), in the same statement. */
  readonly disposition?: { readonly code: string; readonly note: string | null };
}

export interface AvailabilityChangeRecord {
  readonly identity: string;
  readonly from: AvailabilityState;
  readonly to: AvailabilityState;
  readonly reason: string | null;
  readonly by: AvailabilityActor;
  readonly at: Date;
}

export interface CallDisposition {
  readonly callSid: string;
  readonly identity: string;
  readonly code: string;
  readonly note: string | null;
  readonly recordedAt: Date;
}

/**
 * Agents' availability, its history and wrap-up dispositions. Every change is one statement: the current
 * row is locked and checked against the expected states, updated, and the change written to history (and
 * a disposition stored) together, so two instances acting on one agent never interleave and a change is
 * never left without its history. The feature lib decides which changes are allowed.
 */
@Injectable()
export class AvailabilityRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** The agent's state; an agent never seen before gets their first row, offline since `now`. */
  async current(identity: string, now: Date): Promise<AvailabilityRecord> {
    await this.database.db.execute(sql`
      INSERT INTO agent_availability (identity, state, since) VALUES (${identity}, 'offline', ${now.toISOString()})
      ON CONFLICT (identity) DO NOTHING`);
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM agent_availability WHERE identity = ${identity}`)) as AvailabilityRow[];
    return toRecord(row);
  }

  /**
   * Several agents' states in two statements (routing asks for a whole ring group per call); agents never
   * seen before get their first row, offline since `now`, as with {@link current}. Keyed by identity.
   */
  async currentMany(identities: readonly string[], now: Date): Promise<Map<string, AvailabilityRecord>> {
    const wanted = [...new Set(identities)];
    if (wanted.length === 0) return new Map();
    const values = sql.join(wanted.map((identity) => sql`(${identity}, 'offline', ${now.toISOString()}::timestamptz)`), sql`, `);
    await this.database.db.execute(sql`
      INSERT INTO agent_availability (identity, state, since) VALUES ${values} ON CONFLICT (identity) DO NOTHING`);
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM agent_availability WHERE identity IN (${sql.join(wanted.map((identity) => sql`${identity}`), sql`, `)})`)) as AvailabilityRow[];
    return new Map(rows.map((row) => [row.identity, toRecord(row)]));
  }

  /** Every agent that has a state, by identity (agents without a row are offline). */
  async list(): Promise<AvailabilityRecord[]> {
    const rows = rowsOf(await this.database.db.execute(sql`SELECT * FROM agent_availability ORDER BY identity`)) as AvailabilityRow[];
    return rows.map(toRecord);
  }

  /**
   * Makes the change if the agent's state is still one of `fromStates` (and on `fromCallSid`, if given);
   * the transition, or undefined when the state was not (another change came first, or no row yet).
   */
  async change(request: AvailabilityChangeRequest): Promise<AvailabilityTransition | undefined> {
    const states = sql.join(request.fromStates.map((state) => sql`${state}`), sql`, `);
    const onCall = request.fromCallSid === undefined ? sql`` : sql` AND call_sid = ${request.fromCallSid}`;
    const disposition: SQL = request.disposition === undefined ? sql`` : sql`,
      disposed AS (
        INSERT INTO call_dispositions (call_sid, identity, code, note, recorded_at)
        SELECT prev_call_sid, identity, ${request.disposition.code}::text, ${request.disposition.note}::text, ${request.at.toISOString()}::timestamptz
        FROM changed WHERE prev_call_sid IS NOT NULL
        ON CONFLICT (call_sid, identity) DO UPDATE SET code = EXCLUDED.code, note = EXCLUDED.note, recorded_at = EXCLUDED.recorded_at)`;
    const [row] = rowsOf(await this.database.db.execute(sql`
      WITH prev AS (
        SELECT * FROM agent_availability WHERE identity = ${request.identity} AND state IN (${states})${onCall} FOR UPDATE
      ),
      changed AS (
        UPDATE agent_availability a SET state = ${request.to}, reason = ${request.reason}, since = ${request.at.toISOString()},
          call_sid = ${request.callSid}, wrap_up_ends_at = ${request.wrapUpEndsAt?.toISOString() ?? null}
        FROM prev WHERE a.identity = prev.identity
        RETURNING a.*, prev.state AS prev_state, prev.reason AS prev_reason, prev.since AS prev_since,
          prev.call_sid AS prev_call_sid, prev.wrap_up_ends_at AS prev_wrap_up_ends_at
      ),
      ${logChanges(request.by, request.at)}${disposition}
      SELECT * FROM changed`)) as TransitionRow[];
    return row ? toTransition(row, request.by) : undefined;
  }

  /**
   * Ends up to `limit` wrap-ups whose time has passed (→ available, by the system) and answers them. Each is
   * claimed by one caller only (rows another transaction holds are skipped, and the update re-checks), so
   * of several instances ticking at once exactly one ends a given wrap-up and tells the agent.
   */
  async endDueWrapUps(now: Date, limit: number): Promise<AvailabilityTransition[]> {
    const system: AvailabilityActor = { kind: 'system' };
    const rows = rowsOf(await this.database.db.execute(sql`
      WITH prev AS (
        SELECT * FROM agent_availability WHERE state = 'wrap-up' AND wrap_up_ends_at <= ${now.toISOString()}
        ORDER BY wrap_up_ends_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
      ),
      changed AS (
        UPDATE agent_availability a SET state = 'available', reason = NULL, since = ${now.toISOString()}, call_sid = NULL, wrap_up_ends_at = NULL
        FROM prev WHERE a.identity = prev.identity AND a.state = 'wrap-up'
        RETURNING a.*, prev.state AS prev_state, prev.reason AS prev_reason, prev.since AS prev_since,
          prev.call_sid AS prev_call_sid, prev.wrap_up_ends_at AS prev_wrap_up_ends_at
      ),
      ${logChanges(system, now)}
      SELECT * FROM changed ORDER BY prev_wrap_up_ends_at, identity`)) as TransitionRow[];
    return rows.map((row) => toTransition(row, system));
  }

  /** The agent's changes, newest first. */
  async history(identity: string, limit: number): Promise<AvailabilityChangeRecord[]> {
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM availability_changes WHERE identity = ${identity} ORDER BY at DESC, id DESC LIMIT ${limit}`)) as ChangeRow[];
    return rows.map((row) => ({
      identity: row.identity, from: row.from_state, to: row.to_state, reason: row.reason, at: new Date(row.at),
      by: actorOf(row.by_kind, row.by_identity),
    }));
  }

  async findDisposition(callSid: string, identity: string): Promise<CallDisposition | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM call_dispositions WHERE call_sid = ${callSid} AND identity = ${identity}`)) as Array<{
      call_sid: string; identity: string; code: string; note: string | null; recorded_at: Date | string;
    }>;
    return row ? { callSid: row.call_sid, identity: row.identity, code: row.code, note: row.note, recordedAt: new Date(row.recorded_at) } : undefined;
  }
}

/** The history CTE of a change statement: one row per changed agent, written with the change. */
function logChanges(by: AvailabilityActor, at: Date): SQL {
  const byIdentity = by.kind === 'supervisor' ? by.identity : null;
  return sql`logged AS (
        INSERT INTO availability_changes (identity, from_state, to_state, reason, by_kind, by_identity, at)
        SELECT identity, prev_state, state, reason, ${by.kind}::text, ${byIdentity}::text, ${at.toISOString()}::timestamptz FROM changed
      )`;
}

function actorOf(kind: AvailabilityActor['kind'], identity: string | null): AvailabilityActor {
  return kind === 'supervisor' ? { kind, identity: identity as string } : { kind };
}

interface AvailabilityRow {
  identity: string; state: AvailabilityState; reason: string | null; since: Date | string; call_sid: string | null;
  wrap_up_ends_at: Date | string | null;
}

interface TransitionRow extends AvailabilityRow {
  prev_state: AvailabilityState; prev_reason: string | null; prev_since: Date | string; prev_call_sid: string | null;
  prev_wrap_up_ends_at: Date | string | null;
}

interface ChangeRow {
  identity: string; from_state: AvailabilityState; to_state: AvailabilityState; reason: string | null;
  by_kind: AvailabilityActor['kind']; by_identity: string | null; at: Date | string;
}

const dateOrNull = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

function toRecord(row: AvailabilityRow): AvailabilityRecord {
  return {
    identity: row.identity, state: row.state, reason: row.reason, since: new Date(row.since), callSid: row.call_sid,
    wrapUpEndsAt: dateOrNull(row.wrap_up_ends_at),
  };
}

function toTransition(row: TransitionRow, by: AvailabilityActor): AvailabilityTransition {
  return {
    current: toRecord(row),
    previous: {
      identity: row.identity, state: row.prev_state, reason: row.prev_reason, since: new Date(row.prev_since), callSid: row.prev_call_sid,
      wrapUpEndsAt: dateOrNull(row.prev_wrap_up_ends_at),
    },
    by,
  };
}
