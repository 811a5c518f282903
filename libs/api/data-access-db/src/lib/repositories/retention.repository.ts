import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATABASE, Database, rowsOf } from '../database';

export interface AgedVoicemail {
  readonly id: string;
  readonly recordingSid: string;
}

/**
 * The deletes behind the retention settings. Each is idempotent and safe to run on several API
 * instances at once: a row already handled by another instance is simply not found again.
 */
@Injectable()
export class RetentionRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Empties the raw payloads (numbers, identities) of status events received before `before`. The
   * event rows stay: their unique key is what makes a late duplicate callback a no-op.
   */
  async clearCallEventPayloadsBefore(before: Date): Promise<number> {
    const result = await this.database.db.execute(sql`
      UPDATE call_events SET payload = '{}'::jsonb
      WHERE received_at < ${before.toISOString()}::timestamptz AND payload <> '{}'::jsonb
      RETURNING id`);
    return rowsOf(result).length;
  }

  /** Oldest first, at most `limit`: the voicemails whose recording should now be deleted. */
  async voicemailsReceivedBefore(before: Date, limit: number): Promise<AgedVoicemail[]> {
    const result = await this.database.db.execute(sql`
      SELECT id, recording_sid FROM voicemails WHERE received_at < ${before.toISOString()}::timestamptz
      ORDER BY received_at, id LIMIT ${limit}`);
    return (rowsOf(result) as Array<{ id: string; recording_sid: string }>).map((row) => ({ id: row.id, recordingSid: row.recording_sid }));
  }

  /** Deletes the toll-fraud audit's refusals made before `before`; returns how many went. */
  async deleteOutboundRefusalsBefore(before: Date): Promise<number> {
    const result = await this.database.db.execute(sql`
      DELETE FROM outbound_call_refusals WHERE refused_at < ${before.toISOString()}::timestamptz RETURNING id`);
    return rowsOf(result).length;
  }

  /**
   * Deletes sign-in failures the limiter no longer counts: it counts only those newer than
   * `windowSeconds` by the database's clock (SignInFailuresRepository.secondsUntilAllowed), so the
   * cut-off uses that same clock and every row still inside the window stays.
   */
  async deleteSignInFailuresOutsideWindow(windowSeconds: number): Promise<number> {
    const result = await this.database.db.execute(sql`
      DELETE FROM sign_in_failures WHERE failed_at <= now() - ${windowSeconds}::int * interval '1 second' RETURNING id`);
    return rowsOf(result).length;
  }

  /**
   * Deletes the records of legs agents left on purpose (hang-up) made before `before`. Each only tells
   * the participant-leave callback that follows it within seconds that the leave was no drop; once that
   * is long past the row is dead weight. Returns how many went.
   */
  async deleteIntendedLeavesBefore(before: Date): Promise<number> {
    const result = await this.database.db.execute(sql`
      DELETE FROM intended_leaves WHERE recorded_at < ${before.toISOString()}::timestamptz RETURNING call_sid`);
    return rowsOf(result).length;
  }

  /** Deletes one voicemail row; false if it was already gone. */
  async deleteVoicemail(id: string): Promise<boolean> {
    const result = await this.database.db.execute(sql`DELETE FROM voicemails WHERE id = ${id} RETURNING id`);
    return rowsOf(result).length > 0;
  }
}
