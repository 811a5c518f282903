import { Inject, Injectable } from '@nestjs/common';
import { and, count, desc, eq, inArray } from 'drizzle-orm';
import type { Voicemail } from '@switchboard/shared-contracts';
import { DATABASE, Database } from '../database';
import { voicemails } from '../schema';

/**
 * The inbox of a voicemail whose call and route are unknown (its call record was never written, or
 * nothing routes its number any more): supervisors see it, so no caller's message is lost.
 */
export const UNASSIGNED_VOICEMAIL_TARGET = 'unassigned';

export interface NewVoicemail {
  readonly recordingSid: string;
  readonly callSid: string;
  readonly recordingUrl: string;
  readonly from: string;
  readonly calledTarget: string;
  readonly durationSeconds: number;
}

@Injectable()
export class VoicemailsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** One voicemail per recording SID, however often the callback arrives. Returns true if new. */
  async insertOnce(voicemail: NewVoicemail): Promise<boolean> {
    const { from, ...rest } = voicemail;
    const rows = await this.database.db.insert(voicemails).values({ ...rest, fromNumber: from })
      .onConflictDoNothing({ target: voicemails.recordingSid }).returning({ id: voicemails.id });
    return rows.length > 0;
  }

  async listForTargets(targets: readonly string[]): Promise<Voicemail[]> {
    if (targets.length === 0) return [];
    const rows = await this.database.db.select().from(voicemails).where(inArray(voicemails.calledTarget, [...targets]))
      .orderBy(desc(voicemails.receivedAt), desc(voicemails.id)).limit(500);
    return rows.map(toVoicemail);
  }

  /** The voicemail if one of `targets` owns it; undefined otherwise (same answer as not existing). */
  async findOwned(id: string, targets: readonly string[]): Promise<(Voicemail & { recordingUrl: string }) | undefined> {
    if (targets.length === 0) return undefined;
    const [row] = await this.database.db.select().from(voicemails)
      .where(and(eq(voicemails.id, id), inArray(voicemails.calledTarget, [...targets]))).limit(1);
    return row ? { ...toVoicemail(row), recordingUrl: row.recordingUrl } : undefined;
  }

  async markHeard(id: string, targets: readonly string[], heard: boolean): Promise<Voicemail | undefined> {
    if (targets.length === 0) return undefined;
    const [row] = await this.database.db.update(voicemails).set({ heard })
      .where(and(eq(voicemails.id, id), inArray(voicemails.calledTarget, [...targets]))).returning();
    return row ? toVoicemail(row) : undefined;
  }

  async countByRecordingSid(recordingSid: string): Promise<number> {
    const [{ n }] = await this.database.db.select({ n: count() }).from(voicemails).where(eq(voicemails.recordingSid, recordingSid));
    return n;
  }
}

function toVoicemail(row: typeof voicemails.$inferSelect): Voicemail {
  return {
    id: row.id,
    recordingSid: row.recordingSid,
    callSid: row.callSid,
    from: row.fromNumber,
    calledTarget: row.calledTarget,
    durationSeconds: row.durationSeconds,
    heard: row.heard,
    receivedAt: row.receivedAt.toISOString(),
  };
}
