import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CallDirection, CallStatus } from '@switchboard/shared-contracts';
import { callStatusRank } from './call-state';
import { DATABASE, Database } from './database';
import { runStatement } from './repositories/raw-statement';

/** A call as first seen: by a TwiML webhook, or by the API itself when it places a call over REST. */
export interface CallStart {
  readonly callSid: string;
  readonly direction: CallDirection;
  readonly from: string;
  readonly to: string;
  /** Agents whose call history shows the call. */
  readonly participants: readonly string[];
  /** Whose voicemail a caller reaches when nobody answers (`agent:<identity>` or `group:<name>`). */
  readonly voicemailTarget: string | null;
  readonly status: CallStatus;
  readonly at: Date;
}

/**
 * The one statement: upsert the calls from parallel arrays ($1–$8), then their participants ($9, $10).
 * A second sighting changes only a missing voicemail target and an earlier start, and writes nothing when
 * neither changes (no dead row version per retry). bench/api/bare-server.mjs runs the same text: keep them in step.
 */
const CALL_START_SQL = `
      WITH input AS (
        SELECT * FROM unnest(
          $1::text[], $2::text[], $3::text[],
          $4::text[], $5::text[], $6::text[],
          $7::int[], $8::text[]
        ) AS t(call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at)
      ), upserted AS (
        INSERT INTO calls (call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at)
        SELECT call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at::timestamptz FROM input
        ON CONFLICT (call_sid) DO UPDATE SET
          voicemail_target = COALESCE(calls.voicemail_target, excluded.voicemail_target),
          started_at = LEAST(calls.started_at, excluded.started_at)
        WHERE (calls.voicemail_target IS NULL AND excluded.voicemail_target IS NOT NULL) OR excluded.started_at < calls.started_at
        RETURNING 1
      )
      INSERT INTO call_participants (call_sid, agent_identity)
      SELECT * FROM unnest($9::text[], $10::text[])
      ON CONFLICT DO NOTHING`;

/** Rows per statement; a burst larger than this is written in several statements, one after the other. */
export const CALL_START_BATCH_MAX = 200;

interface PendingStart {
  readonly call: CallStart;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The one write path for a call's start: the outgoing and incoming webhooks and the supervisor's
 * ring request all record their call here. A second sighting (webhook retry, replay) changes nothing
 * but participants, an earlier start and a missing voicemail target. Status callbacks never start a
 * call: they move an existing row forward (CallsRepository.applyStatusEvent) and create one only for
 * a leg nobody started here, such as the phone-network leg of a `<Dial><Number>`.
 *
 * Group commit: the calls handed over in one turn of the event loop, or while a write is in flight,
 * are written together in one statement. Each caller's promise settles only once its row is
 * committed, so a webhook still answers after its call is stored (nothing is lost when the process
 * dies after answering) and a retried webhook is still idempotent. What it saves: one statement per
 * burst instead of a transaction per call, which on the embedded engine (single-threaded WASM, ~1 ms
 * per statement) decides the webhook's throughput.
 */
@Injectable()
export class CallStartWriter {
  private readonly logger = new Logger('CallStartWriter');
  private queue: PendingStart[] = [];
  private draining = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Settles once the call is committed; a retried sighting of a CallSid is merged, never duplicated. */
  record(call: CallStart): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      if (!this.draining) {
        // The embedded engine runs a statement synchronously, blocking the event loop: start after the
        // requests already received this turn have queued theirs, or every batch holds one call.
        this.draining = true;
        this.idle = new Promise<void>((settle) => { this.markIdle = settle; });
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Settles once every call handed over so far is written (shutdown waits for it before closing). */
  async whenIdle(): Promise<void> {
    while (this.draining) await this.idle;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, CALL_START_BATCH_MAX);
        this.queue = this.queue.slice(batch.length);
        await this.writeBatch(batch);
      }
    } finally {
      this.draining = false;
      this.markIdle();
    }
  }

  private async writeBatch(batch: readonly PendingStart[]): Promise<void> {
    try {
      await this.write(batch.map((p) => p.call));
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // One bad row must not fail the calls written beside it: retry each alone, so only it fails.
      this.logger.warn(`A batch of ${batch.length} call records failed (${(error as Error).message}); writing them one by one`);
      for (const p of batch) await this.writeBatch([p]);
    }
  }

  /** One statement (atomic on its own): upsert the calls, then their participants. */
  private async write(starts: readonly CallStart[]): Promise<void> {
    const calls = mergeBySid(starts);
    const participantSids: string[] = [];
    const participantIdentities: string[] = [];
    for (const call of calls) {
      for (const identity of call.participants) {
        participantSids.push(call.callSid);
        participantIdentities.push(identity);
      }
    }
    // Straight on the driver (runStatement): the statement never changes and its result is not read.
    await runStatement(this.database, CALL_START_SQL, [
      calls.map((c) => c.callSid), calls.map((c) => c.direction), calls.map((c) => c.from),
      calls.map((c) => c.to), calls.map((c) => c.voicemailTarget), calls.map((c) => c.status),
      calls.map((c) => callStatusRank(c.status)), calls.map((c) => c.at.toISOString()),
      participantSids, participantIdentities,
    ]);
  }
}

type MergedStart = Omit<CallStart, 'participants'> & { participants: Set<string> };

/**
 * Postgres refuses to upsert one row twice in a statement, so sightings of one CallSid (webhook
 * retries) are merged first, exactly as writing them one after the other would end: the first
 * sighting's fields, the first voicemail target, the earliest start, every participant.
 */
export function mergeBySid(starts: readonly CallStart[]): MergedStart[] {
  const bySid = new Map<string, MergedStart>();
  for (const start of starts) {
    const seen = bySid.get(start.callSid);
    if (!seen) {
      bySid.set(start.callSid, { ...start, participants: new Set(start.participants) });
      continue;
    }
    bySid.set(start.callSid, {
      ...seen,
      voicemailTarget: seen.voicemailTarget ?? start.voicemailTarget,
      at: start.at < seen.at ? start.at : seen.at,
      participants: new Set([...seen.participants, ...start.participants]),
    });
  }
  return [...bySid.values()];
}
