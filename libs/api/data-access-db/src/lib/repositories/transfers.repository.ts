import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATABASE, Database, rowsOf, type Db } from '../database';

export type TransferRecordStatus = 'ringing-target' | 'answered' | 'no-answer' | 'declined' | 'busy' | 'failed' | 'cancelled' | 'returned-to-you';
export type TransferMissReason = 'no-answer' | 'declined' | 'busy' | 'failed';
/**
 * Where the customer ended up: with the target, back with the first agent, or in the routed target's voicemail;
 * a consult's end: completed (the first agent left the customer with the target), cancelled, or three-way.
 * Null while a transfer rings, and while a consult's agents talk.
 */
export type TransferOutcome = 'transferred' | 'returned' | 'voicemail' | 'completed' | 'cancelled' | 'three-way';

/** A transfer still under way: ringing, or a consult whose agents talk (0008's one-open-per-conference index). */
const OPEN_SQL = `status = 'ringing-target' OR (status = 'answered' AND outcome IS NULL)`;

export interface NewTransfer {
  readonly transferId: string;
  readonly conferenceSid: string;
  readonly customerCallSid: string;
  readonly fromIdentity: string;
  /** The first agent's leg: removed once the target answers. */
  readonly fromCallSid: string;
  readonly targetKind: 'agent' | 'ring-group' | 'number';
  readonly targetValue: string;
  readonly targetDisplay: string;
  readonly mode: 'cold' | 'consult';
  readonly expectedLegs: number;
  /** The toll-fraud grant this transfer holds (number targets), released when its leg ends. */
  readonly capKey: string | null;
}

export interface TransferRecord extends NewTransfer {
  readonly status: TransferRecordStatus;
  readonly missReason: TransferMissReason | null;
  readonly outcome: TransferOutcome | null;
  /** Target call SID → its latest call status (`dialled`, `ringing`, `in-progress`, `no-answer`, …). */
  readonly targetLegs: Readonly<Record<string, string>>;
  readonly answeredCallSid: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a locked update may change; omitted fields stay. */
export interface TransferChange {
  readonly status?: TransferRecordStatus;
  readonly missReason?: TransferMissReason | null;
  readonly outcome?: TransferOutcome | null;
  readonly targetLegs?: Readonly<Record<string, string>>;
  readonly answeredCallSid?: string | null;
  readonly expectedLegs?: number;
}

/**
 * The transfers of anchored customer calls. Every change is made under a row lock (`update`), so the
 * callbacks of one transfer, arriving on any instance in any order, are applied one at a time and each
 * sees the others' result; the decision what a change means belongs to the feature lib.
 */
@Injectable()
export class TransfersRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Stores a new ringing transfer; 'active-exists' when another transfer of that conference is ringing or
   * a consult of it is open.
   * A ringing transfer older than `staleAfterSeconds` (its legs' callbacks were lost) is marked failed
   * first, so a lost callback cannot block transfers of the call for good.
   */
  async create(transfer: NewTransfer, staleAfterSeconds: number): Promise<TransferRecord | 'active-exists'> {
    return this.database.db.transaction(async (tx) => {
      await tx.execute(sql`
        UPDATE transfers SET status = 'failed', miss_reason = 'failed', updated_at = now()
        WHERE conference_sid = ${transfer.conferenceSid} AND status = 'ringing-target'
          AND created_at < now() - make_interval(secs => ${staleAfterSeconds})`);
      const inserted = rowsOf(await tx.execute(sql`
        INSERT INTO transfers (transfer_id, conference_sid, customer_call_sid, from_identity, from_call_sid, target_kind, target_value,
          target_display, mode, status, expected_legs, cap_key)
        VALUES (${transfer.transferId}, ${transfer.conferenceSid}, ${transfer.customerCallSid}, ${transfer.fromIdentity}, ${transfer.fromCallSid},
          ${transfer.targetKind}, ${transfer.targetValue}, ${transfer.targetDisplay}, ${transfer.mode}, 'ringing-target', ${transfer.expectedLegs},
          ${transfer.capKey})
        ON CONFLICT (conference_sid) WHERE ${sql.raw(OPEN_SQL)} DO NOTHING
        RETURNING *`)) as TransferRow[];
      return inserted[0] ? toRecord(inserted[0]) : 'active-exists';
    });
  }

  async find(transferId: string): Promise<TransferRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`SELECT * FROM transfers WHERE transfer_id = ${transferId}`)) as TransferRow[];
    return row ? toRecord(row) : undefined;
  }

  /** The conference's ringing transfer, if any; with `staleAfterSeconds`, one older than that (see `create`) does not count. */
  async findRinging(conferenceSid: string, staleAfterSeconds?: number): Promise<TransferRecord | undefined> {
    const fresh = staleAfterSeconds === undefined ? sql`` : sql` AND created_at >= now() - make_interval(secs => ${staleAfterSeconds})`;
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM transfers WHERE conference_sid = ${conferenceSid} AND status = 'ringing-target'${fresh}`)) as TransferRow[];
    return row ? toRecord(row) : undefined;
  }

  /** The conference's open transfer (ringing, or a consult whose agents talk); a ringing one older than `staleAfterSeconds` does not count. */
  async findOpen(conferenceSid: string, staleAfterSeconds: number): Promise<TransferRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM transfers WHERE conference_sid = ${conferenceSid}
        AND ((status = 'ringing-target' AND created_at >= now() - make_interval(secs => ${staleAfterSeconds})) OR (status = 'answered' AND outcome IS NULL))
      ORDER BY created_at DESC LIMIT 1`)) as TransferRow[];
    return row ? toRecord(row) : undefined;
  }

  /** The conference's newest transfer (what the in-call view shows), if any. */
  async latest(conferenceSid: string): Promise<TransferRecord | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT * FROM transfers WHERE conference_sid = ${conferenceSid} ORDER BY created_at DESC, transfer_id LIMIT 1`)) as TransferRow[];
    return row ? toRecord(row) : undefined;
  }

  /**
   * Reads the transfer under a row lock, asks `decide` what changes, writes it, and answers the record
   * before and after (both undefined when there is no such transfer). `decide` returning null changes nothing.
   */
  async update(
    transferId: string, decide: (current: TransferRecord) => TransferChange | null,
  ): Promise<{ before: TransferRecord; after: TransferRecord } | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [row] = rowsOf(await tx.execute(sql`SELECT * FROM transfers WHERE transfer_id = ${transferId} FOR UPDATE`)) as TransferRow[];
      if (!row) return undefined;
      const before = toRecord(row);
      const change = decide(before);
      if (change === null) return { before, after: before };
      return { before, after: await write(tx, before, change) };
    });
  }
}

async function write(tx: Db, current: TransferRecord, change: TransferChange): Promise<TransferRecord> {
  const next = { ...current, ...change };
  const [row] = rowsOf(await tx.execute(sql`
    UPDATE transfers SET status = ${next.status}, miss_reason = ${next.missReason}, outcome = ${next.outcome},
      target_legs = ${JSON.stringify(next.targetLegs)}::jsonb, answered_call_sid = ${next.answeredCallSid},
      expected_legs = ${next.expectedLegs}, updated_at = now()
    WHERE transfer_id = ${current.transferId}
    RETURNING *`)) as TransferRow[];
  return toRecord(row);
}

interface TransferRow {
  transfer_id: string; conference_sid: string; customer_call_sid: string; from_identity: string; from_call_sid: string;
  target_kind: NewTransfer['targetKind']; target_value: string; target_display: string; mode: NewTransfer['mode'];
  status: TransferRecordStatus; miss_reason: TransferMissReason | null; outcome: TransferOutcome | null; target_legs: unknown;
  expected_legs: number | string; answered_call_sid: string | null; cap_key: string | null; created_at: Date | string; updated_at: Date | string;
}

function toRecord(row: TransferRow): TransferRecord {
  const legs = typeof row.target_legs === 'string' ? JSON.parse(row.target_legs) as unknown : row.target_legs;
  return {
    transferId: row.transfer_id, conferenceSid: row.conference_sid, customerCallSid: row.customer_call_sid, fromIdentity: row.from_identity,
    fromCallSid: row.from_call_sid, targetKind: row.target_kind, targetValue: row.target_value, targetDisplay: row.target_display,
    mode: row.mode, status: row.status, missReason: row.miss_reason, outcome: row.outcome,
    targetLegs: typeof legs === 'object' && legs !== null ? legs as Record<string, string> : {},
    expectedLegs: Number(row.expected_legs), answeredCallSid: row.answered_call_sid, capKey: row.cap_key,
    createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at),
  };
}
