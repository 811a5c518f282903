import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, rowsOf } from '@switchboard/api-data-access-db';
import type { FloorCounts } from '@switchboard/shared-contracts';
import { sql, type SQL } from 'drizzle-orm';

/**
 * Labels the TwiML gives the legs of an anchored conference (feature-twiml: conference-anchor.ts and
 * monitor-plan.ts; repeated here, as feature libraries do not import each other).
 */
export const CUSTOMER_LABEL = 'customer';
export const MONITOR_LABEL_PREFIX = 'monitor:';
const ANCHOR_PREFIX = 'sb-';

/** The supervisor a `monitor:<identity>` label names; null for any other label. */
export function monitorIdentityOf(label: string | null): string | null {
  return label !== null && label.startsWith(MONITOR_LABEL_PREFIX) ? label.slice(MONITOR_LABEL_PREFIX.length) || null : null;
}

/** An agent's current customer call, as the participant rows tell it. */
export interface CurrentCallRow {
  readonly identity: string;
  readonly agentCallSid: string;
  /** The call the conference anchors (the customer's leg); the name's call while the customer has not joined. */
  readonly customerCallSid: string;
  readonly conferenceSid: string;
  readonly direction: 'inbound' | 'outbound';
  /** The customer's number; null when the call's record is unknown. */
  readonly party: string | null;
  readonly since: Date;
}

/** Who is in a live anchored conference, for monitoring. */
export interface MonitoredCall {
  readonly conferenceSid: string;
  readonly customerCallSid: string;
  /** Agent legs in order of joining. */
  readonly agentLegs: readonly { readonly callSid: string; readonly identity: string }[];
  /** Supervisors' monitor legs, with their flags as the callbacks last told them. */
  readonly monitors: readonly { readonly callSid: string; readonly identity: string; readonly muted: boolean; readonly coaching: boolean }[];
}

/**
 * A softphone leg of the agent (from the callbacks, else its call record's `client:` address), never the
 * customer's leg and never a supervisor's monitor leg. Expects `p` (participant), `f` (conference), `c` (the leg's call).
 */
const AGENT_IDENTITY = sql.raw(`COALESCE(p.agent_identity,
    CASE WHEN c.from_number ~ '^client:[A-Za-z0-9_]{1,121}$' THEN substr(c.from_number, 8)
         WHEN c.to_number ~ '^client:[A-Za-z0-9_]{1,121}$' THEN substr(c.to_number, 8) END)`);
const NOT_CUSTOMER_OR_MONITOR = sql.raw(`p.call_sid IS DISTINCT FROM f.anchor_call_sid AND p.label IS DISTINCT FROM '${CUSTOMER_LABEL}'
    AND COALESCE(p.label, '') NOT LIKE '${MONITOR_LABEL_PREFIX}%'`);
/** The customer call a conference is about: its anchor, else the call its `sb-` name carries. */
const CUSTOMER_CALL_SID = sql.raw(`COALESCE(f.anchor_call_sid, substr(f.friendly_name, ${ANCHOR_PREFIX.length + 1}))`);

/**
 * The board's reads, in SQL that runs on both engines (PGlite and Postgres): who is on which customer
 * call (from the conference participant rows the callbacks keep), today's counts, and who is in a call to
 * monitor. Read-only: feature-conferences owns the conference record.
 */
@Injectable()
export class FloorQueries {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Each agent's current customer call: their leg joined and not left in a live `sb-` conference (the
   * newest when several). `identities` narrows it to those agents.
   */
  async currentCalls(identities?: readonly string[]): Promise<Map<string, CurrentCallRow>> {
    const only: SQL = identities === undefined ? sql`` : identities.length === 0 ? sql` AND false`
      : sql` AND ${AGENT_IDENTITY} IN (${sql.join(identities.map((identity) => sql`${identity}`), sql`, `)})`;
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT DISTINCT ON (identity) * FROM (
        SELECT ${AGENT_IDENTITY} AS identity, p.call_sid AS agent_call_sid, p.joined_at, f.conference_sid,
          ${CUSTOMER_CALL_SID} AS customer_call_sid, named.direction, named.from_number, named.to_number
        FROM conference_participants p
        JOIN conferences f ON f.conference_sid = p.conference_sid
        LEFT JOIN calls c ON c.call_sid = p.call_sid
        LEFT JOIN calls named ON named.call_sid = substr(f.friendly_name, ${ANCHOR_PREFIX.length + 1})
        WHERE f.status <> 'completed' AND f.friendly_name LIKE ${`${ANCHOR_PREFIX}%`} AND p.joined_at IS NOT NULL AND p.left_at IS NULL
          AND ${NOT_CUSTOMER_OR_MONITOR}${only}
      ) legs
      WHERE identity IS NOT NULL
      ORDER BY identity, joined_at DESC, agent_call_sid`)) as CurrentCallDbRow[];
    return new Map(rows.map((row) => [row.identity, toCurrentCall(row)]));
  }

  /**
   * Today's counts over inbound customer calls that arrived since 00:00 in `timeZone` (up to `now`):
   * answered = an agent's leg joined the call's conference (wait: arrival to the first join; handle: that
   * join to the call's end); missed = nobody answered and the caller was sent to voicemail: a message was
   * left, the queue's wait ran out, or an agent's ringing timed out (the caller stayed through it);
   * abandoned = the call ended otherwise unanswered (the caller hung up while ringing or queued).
   */
  async todayCounts(now: Date, timeZone: string): Promise<FloorCounts> {
    const at = now.toISOString();
    const [row] = rowsOf(await this.database.db.execute(sql`
      WITH inbound AS (
        SELECT c.call_sid, c.started_at, c.ended_at, c.status_rank,
          (SELECT min(p.joined_at) FROM conferences f
             JOIN conference_participants p ON p.conference_sid = f.conference_sid
             WHERE (f.anchor_call_sid = c.call_sid OR f.friendly_name = ${ANCHOR_PREFIX} || c.call_sid)
               AND p.call_sid <> c.call_sid AND p.agent_identity IS NOT NULL AND p.joined_at IS NOT NULL
               AND COALESCE(p.label, '') NOT LIKE ${`${MONITOR_LABEL_PREFIX}%`}) AS answered_at,
          (EXISTS (SELECT 1 FROM voicemails v WHERE v.call_sid = c.call_sid)
            OR EXISTS (SELECT 1 FROM call_queue q WHERE q.customer_call_sid = c.call_sid AND q.state = 'voicemail')
            OR EXISTS (SELECT 1 FROM call_ring_outcomes r WHERE r.call_sid = c.call_sid AND r.outcome = 'no-answer')) AS voicemail
        FROM calls c
        WHERE c.direction = 'inbound'
          AND c.started_at >= (date_trunc('day', ${at}::timestamptz AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone})
          AND c.started_at <= ${at}::timestamptz
      )
      SELECT
        count(*) FILTER (WHERE answered_at IS NOT NULL)::int AS answered,
        count(*) FILTER (WHERE answered_at IS NULL AND voicemail)::int AS missed,
        count(*) FILTER (WHERE answered_at IS NULL AND NOT voicemail AND (ended_at IS NOT NULL OR status_rank >= 4))::int AS abandoned,
        round(avg(extract(epoch FROM answered_at - started_at)) FILTER (WHERE answered_at IS NOT NULL))::int AS average_wait,
        round(avg(extract(epoch FROM ended_at - answered_at)) FILTER (WHERE answered_at IS NOT NULL AND ended_at IS NOT NULL))::int AS average_handle
      FROM inbound`)) as CountsRow[];
    return {
      answered: Number(row.answered), missed: Number(row.missed), abandoned: Number(row.abandoned),
      averageWaitSeconds: numberOrNull(row.average_wait), averageHandleSeconds: numberOrNull(row.average_handle),
    };
  }

  /** Whether `callSid` is an inbound call (the counts are about those only). */
  async isInbound(callSid: string): Promise<boolean> {
    const [row] = rowsOf(await this.database.db.execute(sql`SELECT direction FROM calls WHERE call_sid = ${callSid}`)) as Array<{ direction: string }>;
    return row?.direction === 'inbound';
  }

  /**
   * The live anchored conference of `customerCallSid` (its anchor, or the `sb-` name carrying it) with its
   * agent and monitor legs now; undefined when there is none.
   */
  async monitoredCall(customerCallSid: string): Promise<MonitoredCall | undefined> {
    const [conference] = rowsOf(await this.database.db.execute(sql`
      SELECT f.conference_sid, ${CUSTOMER_CALL_SID} AS customer_call_sid FROM conferences f
      WHERE (f.anchor_call_sid = ${customerCallSid} OR f.friendly_name = ${`${ANCHOR_PREFIX}${customerCallSid}`}) AND f.status <> 'completed'
      ORDER BY f.created_at DESC, f.conference_sid LIMIT 1`)) as Array<{ conference_sid: string; customer_call_sid: string }>;
    return conference ? this.callIn(conference.conference_sid) : undefined;
  }

  /** Who is in conference `conferenceSid` now (agents and monitors), or undefined when it is no live `sb-` conference. */
  async callIn(conferenceSid: string): Promise<MonitoredCall | undefined> {
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT p.call_sid, p.label, p.muted, p.coaching, ${AGENT_IDENTITY} AS identity, ${CUSTOMER_CALL_SID} AS customer_call_sid,
        (${NOT_CUSTOMER_OR_MONITOR}) AS agent_leg
      FROM conferences f
      LEFT JOIN conference_participants p ON p.conference_sid = f.conference_sid AND p.joined_at IS NOT NULL AND p.left_at IS NULL
      LEFT JOIN calls c ON c.call_sid = p.call_sid
      WHERE f.conference_sid = ${conferenceSid} AND f.status <> 'completed' AND f.friendly_name LIKE ${`${ANCHOR_PREFIX}%`}
      ORDER BY p.joined_at NULLS LAST, p.call_sid`)) as ParticipantDbRow[];
    if (rows.length === 0) return undefined;
    return {
      conferenceSid,
      customerCallSid: rows[0].customer_call_sid,
      agentLegs: rows.flatMap((row) => (row.call_sid !== null && row.agent_leg === true && row.identity !== null ? [{ callSid: row.call_sid, identity: row.identity }] : [])),
      monitors: rows.flatMap((row) => {
        const identity = monitorIdentityOf(row.label);
        return row.call_sid !== null && identity !== null ? [{ callSid: row.call_sid, identity, muted: row.muted === true, coaching: row.coaching === true }] : [];
      }),
    };
  }
}

interface CurrentCallDbRow {
  identity: string; agent_call_sid: string; joined_at: Date | string; conference_sid: string; customer_call_sid: string;
  direction: string | null; from_number: string | null; to_number: string | null;
}

interface CountsRow {
  answered: number | string; missed: number | string; abandoned: number | string; average_wait: number | string | null; average_handle: number | string | null;
}

interface ParticipantDbRow {
  call_sid: string | null; label: string | null; muted: boolean | null; coaching: boolean | null; identity: string | null;
  customer_call_sid: string; agent_leg: boolean | null;
}

function toCurrentCall(row: CurrentCallDbRow): CurrentCallRow {
  // The `sb-` name carries the inbound customer's call, or the agent's own call for an outbound one.
  const direction = row.direction === 'outbound' ? 'outbound' : 'inbound';
  return {
    identity: row.identity, agentCallSid: row.agent_call_sid, customerCallSid: row.customer_call_sid, conferenceSid: row.conference_sid,
    direction, party: (direction === 'inbound' ? row.from_number : row.to_number) ?? null, since: new Date(row.joined_at),
  };
}

const numberOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));
