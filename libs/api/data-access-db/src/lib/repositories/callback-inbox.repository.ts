import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATABASE, Database, rowsOf } from '../database';
import { runStatement } from './raw-statement';

/** `conference`: conference status callbacks (api-feature-conferences processes those). */
export type CallbackKind = 'status' | 'recording' | 'conference';

export interface ReceivedCallback {
  readonly kind: CallbackKind;
  /**
   * The delivery's natural key: `status:<CallSid>:<CallStatus>:<SequenceNumber>` or
   * `recording:<RecordingSid>:<RecordingStatus>`. Twilio's retries of one callback share it, and so do
   * replays that carry a new I-Twilio-Idempotency-Token; that header is only kept for diagnosis.
   */
  readonly deliveryKey: string;
  readonly idempotencyToken: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
}

export interface PendingCallback {
  readonly id: number;
  readonly kind: CallbackKind;
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
}

/** The statements every callback runs (see receive and markProcessed). */
const RECEIVE_SQL = `
      INSERT INTO callback_inbox (kind, delivery_key, idempotency_token, params, query)
      VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)
      ON CONFLICT (delivery_key) DO NOTHING
      RETURNING id`;
const DELIVERY_SQL = 'SELECT id, processed_at IS NOT NULL AS processed FROM callback_inbox WHERE delivery_key = $1';
const MARK_PROCESSED_SQL = 'UPDATE callback_inbox SET processed_at = now(), last_error = NULL WHERE id = $1';

/** A row that failed this often is left for a person to look at (last_error says why). */
export const CALLBACK_MAX_ATTEMPTS = 10;

/**
 * The write-ahead inbox of status and recording callbacks. A callback is stored before any processing,
 * processed in its own request and marked done; whatever is left pending (the process died, the
 * database failed half-way) is claimed and processed again by the sweep. Processing is idempotent, so
 * a row processed twice changes nothing.
 */
@Injectable()
export class CallbackInboxRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Stores the callback once; `alreadyProcessed` is true when an earlier delivery of it was finished. */
  async receive(callback: ReceivedCallback): Promise<{ id: number; alreadyProcessed: boolean }> {
    // Straight on the driver (runStatement): every status and recording callback runs these. The rows are read by
    // column name and mapped here: bigserial ids come back as a string (pg) or a number (PGlite), booleans as booleans.
    const inserted = rowsOf(await runStatement(this.database, RECEIVE_SQL, [
      callback.kind, callback.deliveryKey, callback.idempotencyToken, JSON.stringify(callback.params), JSON.stringify(callback.query),
    ])) as Array<{ id: number | string | bigint }>;
    if (inserted.length > 0) return { id: Number(inserted[0].id), alreadyProcessed: false };
    const [existing] = rowsOf(await runStatement(this.database, DELIVERY_SQL, [callback.deliveryKey])) as Array<{ id: number | string | bigint; processed: boolean }>;
    return { id: Number(existing.id), alreadyProcessed: existing.processed === true };
  }

  async markProcessed(id: number): Promise<void> {
    await runStatement(this.database, MARK_PROCESSED_SQL, [id]);
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.database.db.execute(sql`
      UPDATE callback_inbox SET attempts = attempts + 1, last_error = ${error.slice(0, 500)} WHERE id = ${id} AND processed_at IS NULL`);
  }

  /**
   * Claims up to `limit` pending callbacks received at least `minAgeSeconds` ago (younger ones are most
   * likely still being processed by their own request) for `leaseSeconds`: another instance running the
   * same sweep skips them (FOR UPDATE SKIP LOCKED, then the lease). Only rows of `kinds`: each kind has
   * its own processor and sweep.
   */
  async claimPending(
    minAgeSeconds: number, leaseSeconds: number, limit: number, kinds: readonly CallbackKind[] = ['status', 'recording'],
  ): Promise<PendingCallback[]> {
    const rows = rowsOf(await this.database.db.execute(sql`
      UPDATE callback_inbox SET retry_after = now() + make_interval(secs => ${leaseSeconds})
      WHERE id IN (
        SELECT id FROM callback_inbox
        WHERE processed_at IS NULL AND attempts < ${CALLBACK_MAX_ATTEMPTS}
          AND kind IN (${sql.join(kinds.map((kind) => sql`${kind}`), sql`, `)})
          AND received_at <= now() - make_interval(secs => ${minAgeSeconds})
          AND (retry_after IS NULL OR retry_after <= now())
        ORDER BY id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, params, query`)) as Array<{ id: number | string; kind: CallbackKind; params: unknown; query: unknown }>;
    return rows
      .map((row) => ({ id: Number(row.id), kind: row.kind, params: jsonObject(row.params), query: jsonObject(row.query) }))
      .sort((a, b) => a.id - b.id);
  }

  async countPending(): Promise<number> {
    const [row] = rowsOf(await this.database.db.execute(sql`SELECT count(*)::int AS n FROM callback_inbox WHERE processed_at IS NULL`)) as Array<{ n: number }>;
    return row.n;
  }
}

/** jsonb comes back parsed from both drivers; a string is parsed once more to be safe. */
function jsonObject(value: unknown): Record<string, string> {
  const parsed = typeof value === 'string' ? JSON.parse(value) as unknown : value;
  return typeof parsed === 'object' && parsed !== null ? parsed as Record<string, string> : {};
}
