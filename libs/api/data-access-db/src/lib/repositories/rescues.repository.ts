import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATABASE, Database, rowsOf } from '../database';

export type RescueState = 'open' | 'rejoined' | 'voicemail' | 'ended';

export interface NewRescue {
  readonly rescueId: string;
  readonly conferenceSid: string;
  readonly customerCallSid: string;
  /** The agent whose leg dropped: the only one who may rejoin. */
  readonly identity: string;
  /** The dropped leg's CallSid: what the rejoin route is addressed by. */
  readonly droppedCallSid: string;
  /** The customer's number as participant views show it (masked). */
  readonly customerDisplay: string;
  readonly openedAt: Date;
  readonly expiresAt: Date;
}

export interface RescueRecord extends NewRescue {
  readonly state: RescueState;
  readonly closedAt: Date | null;
}

/** What the outgoing webhook needs to put a rejoining agent back into the customer's conference. */
export interface AdmittedRejoin {
  readonly conferenceSid: string;
  /** The conference's friendly name (what `<Dial><Conference>` joins by). */
  readonly conferenceName: string;
  readonly customerCallSid: string;
}

/**
 * Rescues of anchored customer calls whose agent dropped out, and the legs agents left on purpose.
 * State changes are single conditional UPDATEs (`WHERE state = 'open'`), so of two instances acting on
 * one rescue exactly one succeeds; the feature lib decides what a leave means.
 */
@Injectable()
export class RescuesRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Stores an open rescue; 'exists' when that leg was already rescued or the conference has an open rescue. */
  async open(rescue: NewRescue): Promise<RescueRecord | 'exists'> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      INSERT INTO rescues (rescue_id, conference_sid, customer_call_sid, identity, dropped_call_sid, customer_display, state, opened_at, expires_at)
      VALUES (${rescue.rescueId}, ${rescue.conferenceSid}, ${rescue.customerCallSid}, ${rescue.identity}, ${rescue.droppedCallSid},
        ${rescue.customerDisplay}, 'open', ${rescue.openedAt.toISOString()}, ${rescue.expiresAt.toISOString()})
      ON CONFLICT DO NOTHING
      RETURNING *`)) as RescueRow[];
    return row ? toRecord(row) : 'exists';
  }

  async find(rescueId: string): Promise<RescueRecord | undefined> {
    if (!UUID.test(rescueId)) return undefined;
    const [row] = rowsOf(await this.database.db.execute(sql`SELECT * FROM rescues WHERE rescue_id = ${rescueId}`)) as RescueRow[];
    return row ? toRecord(row) : undefined;
  }

  async findByDroppedCall(droppedCallSid: string): Promise<RescueRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM rescues WHERE dropped_call_sid = ${droppedCallSid}`)) as RescueRow[];
    return row ? toRecord(row) : undefined;
  }

  /** The conference's open rescue, if any (expired or not: only claimExpired closes one by time). */
  async findOpenForConference(conferenceSid: string): Promise<RescueRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM rescues WHERE conference_sid = ${conferenceSid} AND state = 'open'`)) as RescueRow[];
    return row ? toRecord(row) : undefined;
  }

  /** The agent's open, unexpired rescues, soonest to expire first. */
  async listOpenFor(identity: string, now: Date): Promise<RescueRecord[]> {
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM rescues WHERE identity = ${identity} AND state = 'open' AND expires_at > ${now.toISOString()}
      ORDER BY expires_at, rescue_id`)) as RescueRow[];
    return rows.map(toRecord);
  }

  /**
   * Whether agent `identity` may place a rejoin call for `rescueId` now: the rescue is open, unexpired
   * and theirs, and its conference is not over. Undefined otherwise (the webhook then refuses the call).
   */
  async admitRejoin(identity: string, rescueId: string, now: Date): Promise<AdmittedRejoin | undefined> {
    if (!UUID.test(rescueId)) return undefined;
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT r.conference_sid, f.friendly_name, r.customer_call_sid
      FROM rescues r JOIN conferences f ON f.conference_sid = r.conference_sid
      WHERE r.rescue_id = ${rescueId} AND r.identity = ${identity} AND r.state = 'open'
        AND r.expires_at > ${now.toISOString()} AND f.status <> 'completed'`)) as Array<{
      conference_sid: string; friendly_name: string; customer_call_sid: string;
    }>;
    return row ? { conferenceSid: row.conference_sid, conferenceName: row.friendly_name, customerCallSid: row.customer_call_sid } : undefined;
  }

  /**
   * Closes the conference's open rescue of agent `identity` as rejoined (their new leg joined); the
   * rescue if this call closed it, undefined if there was none or another instance already did.
   */
  async markRejoined(conferenceSid: string, identity: string, now: Date): Promise<RescueRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      UPDATE rescues SET state = 'rejoined', closed_at = ${now.toISOString()}
      WHERE conference_sid = ${conferenceSid} AND identity = ${identity} AND state = 'open'
      RETURNING *`)) as RescueRow[];
    return row ? toRecord(row) : undefined;
  }

  /** Closes the conference's open rescue as ended (the customer hung up, or the conference is over). */
  async markEnded(conferenceSid: string, now: Date): Promise<RescueRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      UPDATE rescues SET state = 'ended', closed_at = ${now.toISOString()}
      WHERE conference_sid = ${conferenceSid} AND state = 'open'
      RETURNING *`)) as RescueRow[];
    return row ? toRecord(row) : undefined;
  }

  /**
   * Closes up to `limit` open rescues whose window has passed as voicemail and answers them: each is
   * claimed by exactly one caller (rows another transaction holds are skipped, and the UPDATE re-checks
   * the state), so one instance, once, sends that customer to voicemail.
   */
  async claimExpired(now: Date, limit: number): Promise<RescueRecord[]> {
    const rows = rowsOf(await this.database.db.execute(sql`
      UPDATE rescues SET state = 'voicemail', closed_at = ${now.toISOString()}
      WHERE state = 'open' AND rescue_id IN (
        SELECT rescue_id FROM rescues WHERE state = 'open' AND expires_at <= ${now.toISOString()}
        ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING *`)) as RescueRow[];
    return rows.map(toRecord);
  }

  /**
   * Opens again a rescue claimExpired handed out whose voicemail redirect could not be made (telephony did
   * not answer), so a later claim retries it. False when it is no longer the claimed rescue.
   */
  async reopen(rescueId: string): Promise<boolean> {
    const rows = rowsOf(await this.database.db.execute(sql`
      UPDATE rescues SET state = 'open', closed_at = NULL WHERE rescue_id = ${rescueId} AND state = 'voicemail'
        AND NOT EXISTS (SELECT 1 FROM rescues o WHERE o.conference_sid = rescues.conference_sid AND o.state = 'open')
      RETURNING rescue_id`));
    return rows.length === 1;
  }

  /** A rescue claimExpired handed out whose caller had already gone (nothing to redirect): closed as ended instead. */
  async endClaimed(rescueId: string, now: Date): Promise<boolean> {
    const rows = rowsOf(await this.database.db.execute(sql`
      UPDATE rescues SET state = 'ended', closed_at = ${now.toISOString()} WHERE rescue_id = ${rescueId} AND state = 'voicemail'
      RETURNING rescue_id`));
    return rows.length === 1;
  }

  /** Records that the agent is leaving leg `callSid` on purpose (before the leg is removed); idempotent. */
  async recordIntendedLeave(callSid: string, identity: string): Promise<void> {
    await this.database.db.execute(sql`
      INSERT INTO intended_leaves (call_sid, identity) VALUES (${callSid}, ${identity}) ON CONFLICT (call_sid) DO NOTHING`);
  }

  async isIntendedLeave(callSid: string): Promise<boolean> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT EXISTS (SELECT 1 FROM intended_leaves WHERE call_sid = ${callSid}) AS intended`)) as Array<{ intended: boolean }>;
    return row.intended === true;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RescueRow {
  rescue_id: string; conference_sid: string; customer_call_sid: string; identity: string; dropped_call_sid: string;
  customer_display: string; state: RescueState; opened_at: Date | string; expires_at: Date | string; closed_at: Date | string | null;
}

function toRecord(row: RescueRow): RescueRecord {
  return {
    rescueId: row.rescue_id, conferenceSid: row.conference_sid, customerCallSid: row.customer_call_sid, identity: row.identity,
    droppedCallSid: row.dropped_call_sid, customerDisplay: row.customer_display, state: row.state, openedAt: new Date(row.opened_at),
    expiresAt: new Date(row.expires_at), closedAt: row.closed_at === null ? null : new Date(row.closed_at),
  };
}
