import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, rowsOf, TERMINAL_CALL_STATUS_RANK, type ConferenceStatus } from '@switchboard/api-data-access-db';
import { sql } from 'drizzle-orm';

/** The conference a call belongs to, as the call-control routes need it. */
export interface CallAnchor {
  readonly conferenceSid: string;
  readonly status: ConferenceStatus;
  /** The customer call the conference anchors; null while the customer has not joined. */
  readonly anchorCallSid: string | null;
  /** When `callSid` is an agent's leg in it: that agent (from the callbacks, else the leg's call record). */
  readonly legIdentity: string | null;
}

const CLIENT_ADDRESS_SQL = `'^client:[A-Za-z0-9_]{1,121}$'`;

/**
 * Finds the conference a route's CallSid belongs to: the softphone addresses its own leg (contract), and
 * the customer's call (the anchor) is accepted too. Read-only; ConferencesRepository stays the record's
 * owner and answers who is in the conference now. This lookup is here, not there, because only call
 * control asks it.
 */
@Injectable()
export class CallAnchors {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** The newest conference `callSid` anchors or joined (ended ones included, so an ended call answers 410). */
  async find(callSid: string): Promise<CallAnchor | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT f.conference_sid, f.status, f.anchor_call_sid,
        (SELECT COALESCE(p.agent_identity,
            CASE WHEN c.from_number ~ ${sql.raw(CLIENT_ADDRESS_SQL)} THEN substr(c.from_number, 8)
                 WHEN c.to_number ~ ${sql.raw(CLIENT_ADDRESS_SQL)} THEN substr(c.to_number, 8) END)
          FROM conference_participants p LEFT JOIN calls c ON c.call_sid = p.call_sid
          WHERE p.conference_sid = f.conference_sid AND p.call_sid = ${callSid}) AS leg_identity
      FROM conferences f
      WHERE f.anchor_call_sid = ${callSid}
         OR EXISTS (SELECT 1 FROM conference_participants p WHERE p.conference_sid = f.conference_sid AND p.call_sid = ${callSid})
      ORDER BY f.created_at DESC, f.conference_sid
      LIMIT 1`)) as AnchorRow[];
    return row && {
      conferenceSid: row.conference_sid, status: row.status, anchorCallSid: row.anchor_call_sid,
      legIdentity: row.anchor_call_sid === callSid ? null : row.leg_identity,
    };
  }

  /**
   * A call in no conference (a direct agent-to-agent call, or any call placed before anchoring): whether
   * it is `identity`'s (a participant of its record, or its softphone end) and still going. Undefined when
   * it is not theirs or unknown.
   */
  async directCall(identity: string, callSid: string): Promise<'live' | 'ended' | undefined> {
    const client = `client:${identity}`;
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT c.status_rank FROM calls c
      WHERE c.call_sid = ${callSid}
        AND (c.from_number = ${client} OR c.to_number = ${client}
             OR EXISTS (SELECT 1 FROM call_participants p WHERE p.call_sid = c.call_sid AND p.agent_identity = ${identity}))`)) as Array<{ status_rank: number | string }>;
    if (!row) return undefined;
    return Number(row.status_rank) >= TERMINAL_CALL_STATUS_RANK ? 'ended' : 'live';
  }

  /**
   * When the customer's current hold began: the time of its latest hold event, if that event put it on
   * hold (an unhold after it means it is not held). Null when the callbacks have not told of a hold.
   */
  async heldSince(conferenceSid: string, callSid: string): Promise<Date | null> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT event, event_at FROM conference_events
      WHERE conference_sid = ${conferenceSid} AND call_sid = ${callSid} AND event IN ('participant-hold', 'participant-unhold')
      ORDER BY sequence_number DESC LIMIT 1`)) as Array<{ event: string; event_at: Date | string }>;
    return row?.event === 'participant-hold' ? new Date(row.event_at) : null;
  }
}

interface AnchorRow {
  conference_sid: string;
  status: ConferenceStatus;
  anchor_call_sid: string | null;
  leg_identity: string | null;
}
