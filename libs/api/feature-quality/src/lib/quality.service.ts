import { HttpStatus, Injectable } from '@nestjs/common';
import { QualityRepository, type StoredQualityRecord } from '@switchboard/api-data-access-db';
import { FieldException, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  lineTestVerdictOf, type LineTest, type LineTestInput, type QualityRatingInput, type QualityRecord, type QualityRecordCreated,
  type QualityRecordInput, type RegistrationSetupInput,
} from '@switchboard/shared-contracts';
import { platformOf } from './client-platform';
import { decodeSamples, encodeSamples } from './quality-samples-codec';
import { summarizeQuality } from './quality-summary';
import { TwilioSummaryRefresher } from './twilio-summary-refresher';

export const LINE_TESTS_LIMIT = 20;

const notYours = () => new FieldException(HttpStatus.FORBIDDEN, 'This call leg is not yours', 'callSid');

/**
 * The rules of issue 14's records. Whose leg a CallSid is comes from what the call flow recorded
 * (QualityRepository.legOwnership). Decision: a record is accepted when the leg is known to be this
 * agent's, or not known at all yet (a record sent at hang-up may beat the status callbacks that make the
 * leg known, and an inbound direct-dial leg is never known by its own CallSid); it is refused (403) when
 * the leg is known to be someone else's or is already stored for someone else. An unknown leg's record
 * is linked to its history call when that call is read (recordsForCall).
 */
@Injectable()
export class QualityService {
  constructor(private readonly quality: QualityRepository, private readonly summaries: TwilioSummaryRefresher) {}

  async storeRecord(agent: SessionAgent, input: QualityRecordInput, userAgent: string | undefined): Promise<QualityRecordCreated> {
    const existing = await this.quality.recordOwner(input.callSid);
    if (existing) {
      if (existing.identity !== agent.identity) throw notYours();
      return { id: existing.id, created: false };
    }
    const ownership = await this.quality.legOwnership(input.callSid);
    if (ownership.identities.length > 0 && !ownership.identities.includes(agent.identity)) throw notYours();
    const stored = await this.quality.insertRecord({
      callSid: input.callSid, identity: agent.identity, direction: input.direction, startedAt: input.startedAt, endedAt: input.endedAt,
      summary: summarizeQuality(input.samples, input.warnings, input.endedAt), samples: encodeSamples(input.samples),
      warnings: input.warnings, setup: input.setup, media: input.media, platform: platformOf(userAgent),
    }, ownership.callId);
    if (!stored.created) {
      // Two sends of the same leg raced: the other one won; it must have been this agent's too.
      const winner = await this.quality.recordOwner(input.callSid);
      if (winner && winner.identity !== agent.identity) throw notYours();
      return stored;
    }
    this.summaries.refresh(input.callSid);
    return stored;
  }

  /** The agent rates their own leg only: one they sent a record for, or one known to be theirs. */
  async rate(agent: SessionAgent, callSid: string, rating: QualityRatingInput): Promise<void> {
    const existing = await this.quality.recordOwner(callSid);
    if (existing) {
      if (existing.identity !== agent.identity) throw notYours();
    } else {
      const ownership = await this.quality.legOwnership(callSid);
      if (ownership.identities.length === 0) throw new FieldException(HttpStatus.NOT_FOUND, 'No call leg of yours has this CallSid', 'callSid');
      if (!ownership.identities.includes(agent.identity)) throw notYours();
    }
    await this.quality.upsertRating(callSid, agent.identity, rating);
  }

  async storeRegistration(agent: SessionAgent, input: RegistrationSetupInput, userAgent: string | undefined): Promise<void> {
    await this.quality.insertRegistration(agent.identity, input, platformOf(userAgent));
  }

  /** An agent sees their own legs of a call they were on; a supervisor every leg of any call. */
  async forCall(viewer: SessionAgent, callId: string): Promise<QualityRecord[]> {
    if (!(await this.quality.callExists(callId))) throw new FieldException(HttpStatus.NOT_FOUND, 'No call has this id', 'callId');
    const isSupervisor = viewer.role === 'supervisor';
    if (!isSupervisor && !(await this.quality.isAgentOnCall(callId, viewer.identity))) {
      throw new FieldException(HttpStatus.FORBIDDEN, 'You were not on this call', 'callId');
    }
    const records = (await this.quality.recordsForCall(callId)).filter((record) => isSupervisor || record.identity === viewer.identity);
    for (const record of records) if (TwilioSummaryRefresher.isStale(record.twilioSummary)) this.summaries.refresh(record.callSid);
    return records.map(recordOf);
  }

  async storeLineTest(agent: SessionAgent, input: LineTestInput, userAgent: string | undefined): Promise<LineTest> {
    return this.quality.insertLineTest(agent.identity, input, lineTestVerdictOf(input.callQuality), platformOf(userAgent));
  }

  /** The viewer's own line tests, or (a supervisor only) another agent's. */
  async lineTests(viewer: SessionAgent, identity: string | null): Promise<LineTest[]> {
    const whose = identity ?? viewer.identity;
    if (whose !== viewer.identity && viewer.role !== 'supervisor') {
      throw new FieldException(HttpStatus.FORBIDDEN, "Only supervisors may read another agent's line tests", 'identity');
    }
    return this.quality.lineTestsOf(whose, LINE_TESTS_LIMIT);
  }

  /** Supervisors: each agent's newest line test (Insights' team view), in one query. */
  async teamLineTests(viewer: SessionAgent): Promise<LineTest[]> {
    if (viewer.role !== 'supervisor') throw new FieldException(HttpStatus.FORBIDDEN, "Only supervisors may read the team's line tests", 'scope');
    return this.quality.latestLineTests();
  }
}

function recordOf(stored: StoredQualityRecord): QualityRecord {
  return { ...stored, samples: decodeSamples(stored.samples) };
}
