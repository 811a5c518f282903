import { Inject, Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import {
  INSIGHTS_DIMENSIONS, type CallDirection, type InsightsBreakdownRow, type InsightsDimension, type InsightsReport,
  type QualityBand, type RecordedWarningName, type SetupStep,
} from '@switchboard/shared-contracts';
import { DATABASE, Database, rowsOf } from '../database';

/** The report's filters, already validated: calendar days (inclusive) in `timeZone`. */
export interface InsightsFilter {
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly agent: string | null;
  readonly direction: CallDirection | null;
  readonly band: QualityBand | null;
}

/** One CSV line's worth of a record (the CSV writer formats it). */
export interface InsightsCsvRow {
  readonly id: string;
  readonly endedAt: Date;
  readonly agent: string;
  readonly direction: string;
  readonly band: string;
  readonly mosAvg: number | null;
  readonly mosMin: number | null;
  readonly jitterMax: number | null;
  readonly lossMax: number | null;
  readonly warnings: readonly string[];
  /** Name and major version, e.g. "Chrome 131". */
  readonly browser: string | null;
  readonly os: string | null;
  readonly sdkVersion: string;
  readonly edge: string | null;
  readonly networkType: string | null;
  readonly microphone: string | null;
  readonly rating: number | null;
}

/** Rows per breakdown before the rest is summed as "Other". */
export const INSIGHTS_TOP_ROWS = 20;
export const INSIGHTS_UNKNOWN = 'Unknown';
export const INSIGHTS_OTHER = 'Other';

/**
 * Each dimension's key as SQL over `q` (the record) and `a` (its agent): never NULL, so one GROUPING SETS
 * pass can tell the sets apart by GROUPING() and COALESCE the key. A browser is its name and major version.
 */
const BROWSER = `CASE WHEN COALESCE(q.browser_version, '') = '' THEN q.browser ELSE q.browser || ' ' || split_part(q.browser_version, '.', 1) END`;
const DIMENSION_KEYS: Readonly<Record<InsightsDimension, string>> = {
  browser: `COALESCE(${BROWSER}, '${INSIGHTS_UNKNOWN}')`,
  os: `COALESCE(q.os, '${INSIGHTS_UNKNOWN}')`,
  sdkVersion: `COALESCE(NULLIF(q.sdk_version, ''), '${INSIGHTS_UNKNOWN}')`,
  edge: `COALESCE(q.edge, '${INSIGHTS_UNKNOWN}')`,
  networkType: `COALESCE(q.network_type, '${INSIGHTS_UNKNOWN}')`,
  inputDevice: `COALESCE(q.input_device_label, '${INSIGHTS_UNKNOWN}')`,
  agent: `COALESCE(a.display_name || ' (' || q.identity || ')', q.identity)`,
  direction: `q.direction`,
};
const dimensionColumn = (dimension: InsightsDimension) => `k_${dimension.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

/**
 * The supervisors' Insights (issue 14, item 3): read-only aggregates over call_quality_records (a call
 * belongs to the day it ended, in the floor's time zone), its ratings and registration_setups. Every figure
 * is computed in SQL (FILTER, GROUPING SETS, generate_series, unnest) that runs on both engines; the
 * application only renames columns. Four queries per report, whatever the number of records.
 */
@Injectable()
export class InsightsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async report(filter: InsightsFilter): Promise<InsightsReport> {
    const [totalsAndDays, breakdowns, topWarnings, setupFailures] = await Promise.all([
      this.totalsAndDays(filter), this.breakdowns(filter), this.topWarnings(filter), this.setupFailures(filter),
    ]);
    return { from: filter.from, to: filter.to, ...totalsAndDays, breakdowns, topWarnings, setupFailures };
  }

  /**
   * The records of the range for the CSV, oldest first, `batchSize` at a time (keyset pages: one short
   * query each, so a large export never holds every row, and works the same on the embedded engine).
   */
  async *csvRows(filter: InsightsFilter, batchSize = 1_000): AsyncGenerator<InsightsCsvRow[]> {
    // The cursor is the database's own text of ended_at: a JS Date would drop its microseconds.
    let after: { endedAt: string; id: string } | null = null;
    for (;;) {
      const page: SQL = after === null ? sql`` : sql` AND (q.ended_at, q.id) > (${after.endedAt}::timestamptz, ${after.id}::uuid)`;
      const rows = rowsOf(await this.database.db.execute(sql`
        SELECT q.id, q.ended_at, q.ended_at::text AS cursor, ${sql.raw(DIMENSION_KEYS.agent)} AS agent, q.direction, q.band, q.mos_avg, q.mos_min, q.jitter_max,
          q.loss_max, q.warning_names, ${sql.raw(BROWSER)} AS browser, q.os, q.sdk_version, q.edge, q.network_type,
          q.input_device_label, r.score
        FROM call_quality_records q
        LEFT JOIN agents a ON a.identity = q.identity
        LEFT JOIN call_quality_ratings r ON r.call_sid = q.call_sid
        WHERE ${whereRecords(filter)}${page}
        ORDER BY q.ended_at, q.id
        LIMIT ${batchSize}`)) as CsvDbRow[];
      if (rows.length === 0) return;
      yield rows.map(toCsvRow);
      if (rows.length < batchSize) return;
      const last = rows[rows.length - 1];
      after = { endedAt: last.cursor, id: last.id };
    }
  }

  private async totalsAndDays(filter: InsightsFilter): Promise<Pick<InsightsReport, 'totals' | 'overTime'>> {
    // One pass: GROUPING SETS ((day), ()) gives each day's counts and the range's totals together.
    const rows = rowsOf(await this.database.db.execute(sql`
      WITH rec AS (
        SELECT (q.ended_at AT TIME ZONE ${filter.timeZone})::date AS day, q.band, q.mos_avg, r.score
        FROM call_quality_records q
        LEFT JOIN call_quality_ratings r ON r.call_sid = q.call_sid
        WHERE ${whereRecords(filter)}
      ), per AS (
        SELECT day, GROUPING(day) AS whole,
          count(*)::int AS calls,
          count(*) FILTER (WHERE band = 'good')::int AS good,
          count(*) FILTER (WHERE band = 'fair')::int AS fair,
          count(*) FILTER (WHERE band = 'poor')::int AS poor,
          avg(mos_avg)::float8 AS avg_mos,
          count(score)::int AS rated,
          avg(score)::float8 AS avg_rating
        FROM rec
        GROUP BY GROUPING SETS ((day), ())
      )
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, 0 AS whole, COALESCE(per.calls, 0) AS calls, COALESCE(per.good, 0) AS good,
        COALESCE(per.fair, 0) AS fair, COALESCE(per.poor, 0) AS poor, NULL::float8 AS avg_mos, 0 AS rated, NULL::float8 AS avg_rating
      FROM (SELECT generate_series(${filter.from}::date, ${filter.to}::date, interval '1 day')::date AS day) d
      LEFT JOIN per ON per.day = d.day AND per.whole = 0
      UNION ALL
      SELECT NULL, 1, calls, good, fair, poor, avg_mos, rated, avg_rating FROM per WHERE whole = 1
      ORDER BY whole, day`)) as TotalsDbRow[];
    const whole = rows.find((row) => Number(row.whole) === 1);
    return {
      totals: {
        calls: Number(whole?.calls ?? 0), good: Number(whole?.good ?? 0), fair: Number(whole?.fair ?? 0), poor: Number(whole?.poor ?? 0),
        avgMos: rounded(whole?.avg_mos ?? null), rated: Number(whole?.rated ?? 0), avgRating: rounded(whole?.avg_rating ?? null),
      },
      overTime: rows.filter((row) => Number(row.whole) === 0)
        .map((row) => ({ day: String(row.day), good: Number(row.good), fair: Number(row.fair), poor: Number(row.poor) })),
    };
  }

  private async breakdowns(filter: InsightsFilter): Promise<InsightsReport['breakdowns']> {
    const keyed = INSIGHTS_DIMENSIONS.map((dimension) => `${DIMENSION_KEYS[dimension]} AS ${dimensionColumn(dimension)}`).join(',\n          ');
    const sets = INSIGHTS_DIMENSIONS.map((dimension) => `(${dimensionColumn(dimension)})`).join(', ');
    const whichSet = `CASE ${INSIGHTS_DIMENSIONS.map((dimension) => `WHEN GROUPING(${dimensionColumn(dimension)}) = 0 THEN '${dimension}'`).join(' ')} END`;
    const key = `COALESCE(${INSIGHTS_DIMENSIONS.map(dimensionColumn).join(', ')})`;
    // The top rows are grouped apart from the rest, so a value that really is "Other" is not merged into the sum.
    // Ties are ordered by key in code-unit order (COLLATE "C"): the same on every server, whatever its locale.
    // Per dimension and key: counts, and MOS as sum and count so "Other" can average over its records, not its rows.
    const rows = rowsOf(await this.database.db.execute(sql`
      WITH keyed AS (
        SELECT q.band, q.mos_avg,
          ${sql.raw(keyed)}
        FROM call_quality_records q
        LEFT JOIN agents a ON a.identity = q.identity
        WHERE ${whereRecords(filter)}
      ), grouped AS (
        SELECT ${sql.raw(whichSet)} AS dimension, ${sql.raw(key)} AS key,
          count(*)::int AS calls,
          count(*) FILTER (WHERE band = 'good')::int AS good,
          count(*) FILTER (WHERE band = 'fair')::int AS fair,
          count(*) FILTER (WHERE band = 'poor')::int AS poor,
          sum(mos_avg)::float8 AS mos_sum, count(mos_avg)::int AS mos_count
        FROM keyed
        GROUP BY GROUPING SETS (${sql.raw(sets)})
      ), ranked AS (
        SELECT *, row_number() OVER (PARTITION BY dimension ORDER BY calls DESC, key COLLATE "C") AS rank FROM grouped
      )
      SELECT dimension, CASE WHEN rank <= ${sql.raw(String(INSIGHTS_TOP_ROWS))} THEN key ELSE '${sql.raw(INSIGHTS_OTHER)}' END AS key,
        sum(calls)::int AS calls, sum(good)::int AS good, sum(fair)::int AS fair, sum(poor)::int AS poor,
        (sum(mos_sum) / NULLIF(sum(mos_count), 0))::float8 AS avg_mos, min(rank) AS first_rank
      FROM ranked
      GROUP BY 1, 2, rank <= ${sql.raw(String(INSIGHTS_TOP_ROWS))}
      ORDER BY dimension, first_rank`)) as BreakdownDbRow[];
    const result = Object.fromEntries(INSIGHTS_DIMENSIONS.map((dimension) => [dimension, [] as InsightsBreakdownRow[]])) as Record<InsightsDimension, InsightsBreakdownRow[]>;
    for (const row of rows) {
      result[row.dimension].push({
        key: row.key, calls: Number(row.calls), good: Number(row.good), fair: Number(row.fair), poor: Number(row.poor), avgMos: rounded(row.avg_mos),
      });
    }
    return result;
  }

  private async topWarnings(filter: InsightsFilter): Promise<InsightsReport['topWarnings']> {
    // count(DISTINCT): a record naming a warning twice is still one call.
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT w.name, count(DISTINCT q.id)::int AS calls
      FROM call_quality_records q
      CROSS JOIN LATERAL unnest(q.warning_names) AS w(name)
      WHERE ${whereRecords(filter)}
      GROUP BY w.name
      ORDER BY calls DESC, w.name COLLATE "C"`)) as Array<{ name: RecordedWarningName; calls: number }>;
    return rows.map((row) => ({ name: row.name, calls: Number(row.calls) }));
  }

  /**
   * Failed steps of the range's calls (their records' set-up) and, unless the filter is about calls only
   * (a direction or a band: a registration has neither), of the range's registrations (of the agent, if one).
   */
  private async setupFailures(filter: InsightsFilter): Promise<InsightsReport['setupFailures']> {
    const registrations = filter.direction === null && filter.band === null;
    const rows = rowsOf(await this.database.db.execute(sql`
      WITH failed AS (
        SELECT e.value AS event FROM call_quality_records q CROSS JOIN LATERAL jsonb_array_elements(q.setup) AS e(value)
        WHERE ${whereRecords(filter)} AND q.setup @> ${FAILED_STEP} AND jsonb_typeof(e.value -> 'error') = 'object'
        UNION ALL
        SELECT e.value FROM registration_setups s CROSS JOIN LATERAL jsonb_array_elements(s.setup) AS e(value)
        WHERE ${registrations ? sql`true` : sql`false`} AND ${dayRange(sql`s.at`, filter)}
          ${filter.agent === null ? sql`` : sql`AND s.identity = ${filter.agent}`}
          AND s.setup @> ${FAILED_STEP} AND jsonb_typeof(e.value -> 'error') = 'object'
      )
      SELECT * FROM (
        SELECT event ->> 'step' AS step, (event -> 'error' ->> 'code')::int AS code, count(*)::int AS count
        FROM failed
        GROUP BY 1, 2
      ) g
      ORDER BY count DESC, step COLLATE "C", code`)) as Array<{ step: SetupStep; code: number; count: number }>;
    return rows.map((row) => ({ step: row.step, code: Number(row.code), count: Number(row.count) }));
  }
}

/**
 * "Has a step whose error is an object" as jsonb containment: checked on the row's jsonb without expanding
 * it, so only the few records with a failure are unnested (about 3 times faster on 10 000 records).
 */
const FAILED_STEP = sql.raw(`'[{"error": {}}]'::jsonb`);

/** `column` falls on one of the range's days in the zone (as bounds on the column, so its index serves). */
function dayRange(column: SQL, filter: InsightsFilter): SQL {
  return sql`${column} >= (${filter.from}::date::timestamp AT TIME ZONE ${filter.timeZone})
    AND ${column} < ((${filter.to}::date + 1)::timestamp AT TIME ZONE ${filter.timeZone})`;
}

function whereRecords(filter: InsightsFilter): SQL {
  const parts: SQL[] = [dayRange(sql`q.ended_at`, filter)];
  if (filter.agent !== null) parts.push(sql`q.identity = ${filter.agent}`);
  if (filter.direction !== null) parts.push(sql`q.direction = ${filter.direction}`);
  if (filter.band !== null) parts.push(sql`q.band = ${filter.band}`);
  return sql.join(parts, sql` AND `);
}

/** MOS and ratings are shown to two decimals. */
function rounded(value: number | string | null): number | null {
  return value === null ? null : Math.round(Number(value) * 100) / 100;
}
const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

function toCsvRow(row: CsvDbRow): InsightsCsvRow {
  return {
    id: row.id, endedAt: new Date(row.ended_at), agent: row.agent, direction: row.direction, band: row.band,
    mosAvg: numberOrNull(row.mos_avg), mosMin: numberOrNull(row.mos_min), jitterMax: numberOrNull(row.jitter_max), lossMax: numberOrNull(row.loss_max),
    warnings: row.warning_names ?? [], browser: row.browser,
    os: row.os, sdkVersion: row.sdk_version, edge: row.edge, networkType: row.network_type, microphone: row.input_device_label, rating: numberOrNull(row.score),
  };
}

interface TotalsDbRow {
  day: string | null; whole: number | string; calls: number; good: number; fair: number; poor: number;
  avg_mos: number | string | null; rated: number; avg_rating: number | string | null;
}
interface BreakdownDbRow {
  dimension: InsightsDimension; key: string; calls: number; good: number; fair: number; poor: number; avg_mos: number | string | null;
}
interface CsvDbRow {
  id: string; ended_at: string | Date; agent: string; direction: string; band: string; mos_avg: number | null; mos_min: number | null;
  jitter_max: number | null; loss_max: number | null; warning_names: string[] | null; browser: string | null; cursor: string;
  os: string | null; sdk_version: string; edge: string | null; network_type: string | null; input_device_label: string | null; score: number | null;
}
