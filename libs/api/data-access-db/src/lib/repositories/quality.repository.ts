import { Inject, Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import type {
  CallDirection, CallQualityBadge, ClientPlatform, LineTest, LineTestInput, QualityBand, QualityRatingInput, QualityRecord,
  QualitySummary, RecordedWarning, RegistrationSetupInput, SetupEvent, TwilioCallSummary,
} from '@switchboard/shared-contracts';
import { DATABASE, Database, type Db, rowsOf } from '../database';
import { historyCallOf } from './call-handoffs.repository';

/** A leg as it is stored and read: the contract's record with its samples still encoded (quality-samples codec). */
export type StoredQualityRecord = Omit<QualityRecord, 'samples'> & { readonly samples: Uint8Array };

/** What the API stores for one leg: the input, the summary it derived, the encoded samples, the platform. */
export type NewQualityRecord = Omit<StoredQualityRecord, 'id' | 'callId' | 'rating' | 'twilioSummary'>;

/** Who a leg is known to belong to, and the history call it is part of (both as far as the API knows yet). */
export interface LegOwnership {
  /** Agents the leg is known to be: empty when the API has not heard of the leg (yet). */
  readonly identities: readonly string[];
  readonly callId: string | null;
}

const iso = (column: string): SQL => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** Deletes older than the retention cut-off, per table: how many rows went. */
export interface QualityRetentionOutcome {
  readonly records: number;
  readonly ratings: number;
  readonly registrations: number;
  readonly lineTests: number;
}

/**
 * Issue 14's tables (migration 0015): per-leg quality records, ratings, registration set-up timings and
 * line tests. Every write is idempotent where a client may retry (a record is stored once per leg).
 */
@Injectable()
export class QualityRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Whose leg `callSid` is, from what the call flow recorded: an agent's leg in a conference
   * (conference_participants.agent_identity), or a call row of that CallSid placed by an agent's browser
   * (From `client:<identity>`: the caller's own leg) or placed to one (To `client:<identity>`, e.g. a
   * REST ring leg). call_participants is not used: it lists everyone rung for a call under the
   * caller's CallSid, not whose leg that CallSid is. The history call is the conference's call
   * (historyCallOf), or the leg's own row when the agent placed it.
   */
  async legOwnership(callSid: string): Promise<LegOwnership> {
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT p.agent_identity AS identity, c.id::text AS call_id
        FROM conference_participants p JOIN conferences f ON f.conference_sid = p.conference_sid
        LEFT JOIN calls c ON c.call_sid = ${historyCallOf('f')}
        WHERE p.call_sid = ${callSid} AND p.agent_identity IS NOT NULL
      UNION ALL
      SELECT CASE WHEN c.from_number LIKE 'client:%' THEN substr(c.from_number, 8) ELSE substr(c.to_number, 8) END,
        CASE WHEN c.from_number LIKE 'client:%' THEN c.id::text END
        FROM calls c WHERE c.call_sid = ${callSid} AND (c.from_number LIKE 'client:%' OR c.to_number LIKE 'client:%')`)) as Array<{ identity: string; call_id: string | null }>;
    return { identities: [...new Set(rows.map((row) => row.identity))], callId: rows.find((row) => row.call_id !== null)?.call_id ?? null };
  }

  /** Stores the leg's record once: `created` false (and nothing changed) when it was already there. */
  async insertRecord(record: NewQualityRecord, callId: string | null): Promise<{ id: string; created: boolean }> {
    const s = record.summary;
    const m = record.media;
    const inserted = rowsOf(await this.database.db.execute(sql`
      INSERT INTO call_quality_records (
        call_sid, identity, call_id, direction, started_at, ended_at, band, sample_count,
        mos_min, mos_avg, mos_max, rtt_min, rtt_avg, rtt_max, jitter_min, jitter_avg, jitter_max, loss_min, loss_avg, loss_max,
        seconds_past_mos, seconds_past_rtt, seconds_past_jitter, seconds_past_loss, warning_names, samples, warnings, setup,
        codec, local_candidate_type, remote_candidate_type, network_type, edge, dscp, sdk_version, input_device_label, output_device_label,
        browser, browser_version, os)
      VALUES (
        ${record.callSid}, ${record.identity}, ${callId}::uuid, ${record.direction}, ${record.startedAt}::timestamptz, ${record.endedAt}::timestamptz,
        ${s.band}, ${s.sampleCount}, ${s.mos.min}, ${s.mos.avg}, ${s.mos.max}, ${s.rtt.min}, ${s.rtt.avg}, ${s.rtt.max},
        ${s.jitter.min}, ${s.jitter.avg}, ${s.jitter.max}, ${s.packetLossPercent.min}, ${s.packetLossPercent.avg}, ${s.packetLossPercent.max},
        ${s.secondsPast.mos}, ${s.secondsPast.rtt}, ${s.secondsPast.jitter}, ${s.secondsPast.packetLoss},
        ${sql.param([...s.warningNames])}::text[], ${Buffer.from(record.samples)}, ${JSON.stringify(record.warnings)}::jsonb, ${JSON.stringify(record.setup)}::jsonb,
        ${m.codec}, ${m.localCandidateType}, ${m.remoteCandidateType}, ${m.networkType}, ${m.edge}, ${m.dscp}, ${m.sdkVersion},
        ${m.inputDeviceLabel}, ${m.outputDeviceLabel}, ${record.platform.browser}, ${record.platform.browserVersion}, ${record.platform.os})
      ON CONFLICT (call_sid) DO NOTHING
      RETURNING id::text`)) as Array<{ id: string }>;
    if (inserted.length > 0) return { id: inserted[0].id, created: true };
    const existing = await this.recordOwner(record.callSid);
    if (!existing) throw new Error(`Quality record of ${record.callSid} neither inserted nor found`);
    return { id: existing.id, created: false };
  }

  /** The stored record's id and agent, if this leg has one. */
  async recordOwner(callSid: string): Promise<{ id: string; identity: string } | undefined> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      SELECT id::text, identity FROM call_quality_records WHERE call_sid = ${callSid}`)) as Array<{ id: string; identity: string }>;
    return row;
  }

  async upsertRating(callSid: string, identity: string, rating: QualityRatingInput): Promise<void> {
    await this.database.db.execute(sql`
      INSERT INTO call_quality_ratings (call_sid, identity, score, issues, at)
      VALUES (${callSid}, ${identity}, ${rating.score}, ${sql.param([...rating.issues])}::text[], now())
      ON CONFLICT (call_sid) DO UPDATE SET score = excluded.score, issues = excluded.issues, at = excluded.at
      WHERE call_quality_ratings.identity = excluded.identity`);
  }

  async insertRegistration(identity: string, input: RegistrationSetupInput, platform: ClientPlatform): Promise<void> {
    await this.database.db.execute(sql`
      INSERT INTO registration_setups (identity, setup, edge, sdk_version, browser, browser_version, os)
      VALUES (${identity}, ${JSON.stringify(input.setup)}::jsonb, ${input.edge}, ${input.sdkVersion},
              ${platform.browser}, ${platform.browserVersion}, ${platform.os})`);
  }

  async insertLineTest(identity: string, input: LineTestInput, verdict: LineTest['verdict'], platform: ClientPlatform): Promise<LineTest> {
    const [row] = rowsOf(await this.database.db.execute(sql`
      INSERT INTO line_tests (identity, call_sid, started_at, ended_at, call_quality, verdict, edge, result, browser, browser_version, os)
      VALUES (${identity}, ${input.callSid}, ${input.startedAt}::timestamptz, ${input.endedAt}::timestamptz, ${input.callQuality}, ${verdict},
              ${input.edge}, ${JSON.stringify(input)}::jsonb, ${platform.browser}, ${platform.browserVersion}, ${platform.os})
      RETURNING id::text`)) as Array<{ id: string }>;
    return { ...input, id: row.id, identity, verdict, platform };
  }

  /** An agent's line tests, newest first. */
  async lineTestsOf(identity: string, limit: number): Promise<LineTest[]> {
    return lineTestsFrom(await this.database.db.execute(sql`
      SELECT id::text, identity, verdict, result, browser, browser_version, os FROM line_tests
      WHERE identity = ${identity} ORDER BY ended_at DESC, created_at DESC LIMIT ${limit}`));
  }

  /** Each agent's newest line test, one per identity, by identity: one query (line_tests_identity_ended_at serves it). */
  async latestLineTests(): Promise<LineTest[]> {
    return lineTestsFrom(await this.database.db.execute(sql`
      SELECT DISTINCT ON (identity) id::text, identity, verdict, result, browser, browser_version, os FROM line_tests
      ORDER BY identity, ended_at DESC, created_at DESC`));
  }

  /**
   * The legs of history call `callId` (its own CallSid and every conference leg of it), linking those
   * whose record arrived before the API knew the leg (call_id still null) on the way.
   */
  async recordsForCall(callId: string): Promise<StoredQualityRecord[]> {
    const legs = sql`(
      SELECT c.call_sid FROM calls c WHERE c.id = ${callId}::uuid
      UNION
      SELECT p.call_sid FROM calls c JOIN conferences f ON ${historyCallOf('f')} = c.call_sid
        JOIN conference_participants p ON p.conference_sid = f.conference_sid WHERE c.id = ${callId}::uuid)`;
    await this.database.db.execute(sql`
      UPDATE call_quality_records SET call_id = ${callId}::uuid WHERE call_id IS NULL AND call_sid IN ${legs}`);
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT r.*, r.id::text AS id_text, r.call_id::text AS call_id_text, ${iso('r.started_at')} AS started_iso, ${iso('r.ended_at')} AS ended_iso,
        q.score, q.issues, ${iso('q.at')} AS rated_iso
      FROM call_quality_records r LEFT JOIN call_quality_ratings q ON q.call_sid = r.call_sid
      WHERE r.call_id = ${callId}::uuid ORDER BY r.started_at, r.call_sid`)) as RecordRow[];
    return rows.map(recordOf);
  }

  /** The history call `callId`: its id, and the agents who may see it (as the history list decides). */
  async callExists(callId: string): Promise<boolean> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(callId)) return false;
    return rowsOf(await this.database.db.execute(sql`SELECT 1 FROM calls WHERE id = ${callId}::uuid`)).length > 0;
  }

  /**
   * Whether `identity` was on history call `callId` as the history list counts it: rung for or placing it
   * (call_participants), in its conference, or the sender of one of its legs' records.
   */
  async isAgentOnCall(callId: string, identity: string): Promise<boolean> {
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT 1 FROM calls c WHERE c.id = ${callId}::uuid AND (
        EXISTS (SELECT 1 FROM call_participants cp WHERE cp.call_sid = c.call_sid AND cp.agent_identity = ${identity})
        OR EXISTS (SELECT 1 FROM conferences f JOIN conference_participants p ON p.conference_sid = f.conference_sid
                   WHERE ${historyCallOf('f')} = c.call_sid AND p.agent_identity = ${identity})
        OR EXISTS (SELECT 1 FROM call_quality_records r WHERE r.call_id = c.id AND r.identity = ${identity}))`));
    return rows.length > 0;
  }

  async setTwilioSummary(callSid: string, summary: TwilioCallSummary): Promise<void> {
    await this.database.db.execute(sql`
      UPDATE call_quality_records SET twilio_summary = ${JSON.stringify(summary)}::jsonb WHERE call_sid = ${callSid}`);
  }

  /** Deletes every quality row older than `before` (records by ended_at; ratings and registrations by at; line tests by ended_at). */
  async deleteOlderThan(before: Date): Promise<QualityRetentionOutcome> {
    const cut = before.toISOString();
    const count = async (statement: SQL) => rowsOf(await this.database.db.execute(statement)).length;
    return {
      records: await count(sql`DELETE FROM call_quality_records WHERE ended_at < ${cut}::timestamptz RETURNING call_sid`),
      ratings: await count(sql`DELETE FROM call_quality_ratings WHERE at < ${cut}::timestamptz RETURNING call_sid`),
      registrations: await count(sql`DELETE FROM registration_setups WHERE at < ${cut}::timestamptz RETURNING id`),
      lineTests: await count(sql`DELETE FROM line_tests WHERE ended_at < ${cut}::timestamptz RETURNING id`),
    };
  }
}

/**
 * The history list's badges for a page of calls, in one statement: a leg belongs to a page call when
 * the record is linked to it (call_id), is that call's own CallSid, or is a conference leg of it. `own`
 * shows the viewer's own leg; `worst` (a supervisor) the worst leg of the call (poor before fair before
 * good, then the lowest average MOS).
 */
export async function loadCallQualityBadges(
  db: Db, calls: ReadonlyArray<{ id: string; callSid: string }>, identity: string, scope: 'own' | 'worst',
): Promise<Map<string, CallQualityBadge>> {
  const badges = new Map<string, CallQualityBadge>();
  if (calls.length === 0) return badges;
  const ids = sql.param(calls.map((call) => call.id));
  const rows = rowsOf(await db.execute(sql`
    WITH page AS (SELECT id, call_sid FROM calls WHERE id = ANY(${ids}::uuid[])),
    legs AS (
      SELECT page.id AS call_id, page.call_sid AS leg FROM page
      UNION
      SELECT page.id, p.call_sid FROM page JOIN conferences f ON ${historyCallOf('f')} = page.call_sid
        JOIN conference_participants p ON p.conference_sid = f.conference_sid
    ),
    candidates AS (
      SELECT r.call_id AS page_call, r.call_sid, r.identity, r.band, r.mos_avg, r.warnings
        FROM call_quality_records r WHERE r.call_id = ANY(${ids}::uuid[])
      UNION ALL
      SELECT legs.call_id, r.call_sid, r.identity, r.band, r.mos_avg, r.warnings
        FROM legs JOIN call_quality_records r ON r.call_sid = legs.leg WHERE r.call_id IS NULL
    ),
    matched AS (SELECT * FROM candidates WHERE ${scope}::text = 'worst' OR identity = ${identity})
    SELECT DISTINCT ON (page_call) page_call::text AS call_id, band, mos_avg, jsonb_array_length(warnings) AS warning_count FROM matched
    ORDER BY page_call, CASE band WHEN 'poor' THEN 0 WHEN 'fair' THEN 1 ELSE 2 END, mos_avg ASC NULLS FIRST, call_sid`)) as Array<{
      call_id: string; band: QualityBand; mos_avg: number | null; warning_count: number;
    }>;
  for (const row of rows) badges.set(row.call_id, { band: row.band, avgMos: row.mos_avg === null ? null : Number(row.mos_avg), warningCount: Number(row.warning_count) });
  return badges;
}

interface RecordRow {
  id_text: string; call_sid: string; call_id_text: string | null; identity: string; direction: CallDirection; started_iso: string; ended_iso: string;
  band: QualityBand; sample_count: number;
  mos_min: number | null; mos_avg: number | null; mos_max: number | null; rtt_min: number | null; rtt_avg: number | null; rtt_max: number | null;
  jitter_min: number | null; jitter_avg: number | null; jitter_max: number | null; loss_min: number | null; loss_avg: number | null; loss_max: number | null;
  seconds_past_mos: number; seconds_past_rtt: number; seconds_past_jitter: number; seconds_past_loss: number;
  warning_names: string[] | string; samples: Uint8Array; warnings: unknown; setup: unknown;
  codec: string | null; local_candidate_type: string | null; remote_candidate_type: string | null; network_type: string | null; edge: string | null;
  dscp: boolean; sdk_version: string; input_device_label: string | null; output_device_label: string | null;
  browser: string | null; browser_version: string | null; os: string | null; twilio_summary: unknown;
  score: number | null; issues: string[] | string | null; rated_iso: string | null;
}

function recordOf(row: RecordRow): StoredQualityRecord {
  const figure = (min: number | null, avg: number | null, max: number | null) => ({ min, avg, max });
  return {
    id: row.id_text, callSid: row.call_sid, callId: row.call_id_text, identity: row.identity, direction: row.direction,
    startedAt: row.started_iso, endedAt: row.ended_iso,
    summary: {
      band: row.band, sampleCount: row.sample_count,
      mos: figure(row.mos_min, row.mos_avg, row.mos_max), rtt: figure(row.rtt_min, row.rtt_avg, row.rtt_max),
      jitter: figure(row.jitter_min, row.jitter_avg, row.jitter_max), packetLossPercent: figure(row.loss_min, row.loss_avg, row.loss_max),
      secondsPast: { mos: row.seconds_past_mos, rtt: row.seconds_past_rtt, jitter: row.seconds_past_jitter, packetLoss: row.seconds_past_loss },
      warningNames: textArray(row.warning_names) as QualitySummary['warningNames'],
    },
    samples: row.samples,
    warnings: jsonOf<RecordedWarning[]>(row.warnings), setup: jsonOf<SetupEvent[]>(row.setup),
    media: {
      codec: row.codec, localCandidateType: row.local_candidate_type, remoteCandidateType: row.remote_candidate_type, networkType: row.network_type,
      edge: row.edge, dscp: row.dscp, sdkVersion: row.sdk_version, inputDeviceLabel: row.input_device_label, outputDeviceLabel: row.output_device_label,
    },
    platform: { browser: row.browser, browserVersion: row.browser_version, os: row.os },
    rating: row.score === null ? null : { score: row.score as QualityRatingInput['score'], issues: textArray(row.issues ?? []) as QualityRatingInput['issues'], at: row.rated_iso ?? '' },
    twilioSummary: row.twilio_summary === null ? null : jsonOf<TwilioCallSummary>(row.twilio_summary),
  };
}

/** jsonb arrives parsed from node-postgres and PGlite alike; a string is parsed defensively. */
function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** text[] arrives as an array from both drivers; the `{a,b}` literal form is parsed defensively. */
function textArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map((item) => item.replace(/^"|"$/g, ''));
}

function lineTestsFrom(result: unknown): LineTest[] {
  const rows = rowsOf(result) as Array<{
    id: string; identity: string; verdict: LineTest['verdict']; result: LineTestInput | string; browser: string | null; browser_version: string | null; os: string | null;
  }>;
  return rows.map((row) => ({
    ...jsonOf<LineTestInput>(row.result), id: row.id, identity: row.identity, verdict: row.verdict,
    platform: { browser: row.browser, browserVersion: row.browser_version, os: row.os },
  }));
}
