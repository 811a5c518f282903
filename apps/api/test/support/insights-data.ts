import type { Database } from '@switchboard/api-data-access-db';
import {
  INSIGHTS_DIMENSIONS, RECORDED_WARNING_NAMES, SETUP_STEPS, type InsightsBreakdownRow, type InsightsDimension, type InsightsReport,
} from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';

/**
 * A generated data set for the Insights spec: quality records, ratings and registration set-ups, written
 * straight into the tables (one INSERT … SELECT FROM jsonb_to_recordset per table: one statement, one
 * parameter, whatever the count), and the same report computed in plain JS from the generated rows, so the
 * spec compares every figure of the API's SQL with an independent computation.
 */
export interface GeneratedRecord {
  readonly callSid: string;
  readonly identity: string;
  readonly direction: 'inbound' | 'outbound';
  readonly endedAt: string;
  readonly band: 'good' | 'fair' | 'poor';
  readonly mosAvg: number | null;
  readonly warningNames: readonly string[];
  readonly setup: ReadonlyArray<{ step: string; at: string; durationMs: number | null; error: { code: number; message: string } | null }>;
  readonly browser: string | null;
  readonly browserVersion: string | null;
  readonly os: string | null;
  readonly sdkVersion: string;
  readonly edge: string | null;
  readonly networkType: string | null;
  readonly inputDeviceLabel: string | null;
}
export interface GeneratedRating { readonly callSid: string; readonly identity: string; readonly score: number }
export interface GeneratedRegistration { readonly identity: string; readonly at: string; readonly setup: GeneratedRecord['setup'] }
export interface GeneratedData {
  readonly records: readonly GeneratedRecord[];
  readonly ratings: readonly GeneratedRating[];
  readonly registrations: readonly GeneratedRegistration[];
}

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Labels a spreadsheet would read as formulas, or that need quoting in CSV. */
export const TRICKY_LABELS = ['=HYPERLINK("http://evil.test","click")', '+SUM(1,2)', '-2+3', '@cmd', 'Headset, USB "Pro"', 'Line\nIn'];

/**
 * `count` records ending at random times over the `days` days before `now` (and a few after it), from
 * alice, bob, sam and two identities with no agent row; more than 20 browsers (versions) and microphones,
 * so the "Other" rows are exercised; NULLs in every nullable dimension; about a third rated.
 */
export function generateInsightsData(count: number, now: Date, days: number, seed = 14): GeneratedData {
  const random = seeded(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const identities = ['alice', 'alice', 'bob', 'bob', 'sam', 'ghost_one', 'ghost_two'];
  const browsers: Array<[string | null, string | null]> = [
    ...Array.from({ length: 18 }, (_, i): [string, string] => ['Chrome', `${114 + i}.0.${6000 + i}.12`]),
    ...Array.from({ length: 8 }, (_, i): [string, string] => ['Firefox', `${120 + i}.0`]),
    ['Safari', '17.4.1'], ['Safari', '18.1'], ['Microsoft Edge', '131.0.2903.86'], ['Chrome', ''], [null, null],
  ];
  const microphones = [...Array.from({ length: 27 }, (_, i) => `Microphone ${String(i).padStart(2, '0')}`), ...TRICKY_LABELS, null];
  const span = days * 86_400_000;
  const records: GeneratedRecord[] = [];
  const ratings: GeneratedRating[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < count; i++) {
    // Mostly in the past `days` days; one in 50 up to two days ahead (outside a range ending today). Each end
    // time is distinct, so the CSV's order (ended_at, then id) is the generated rows' order by time.
    let end = now.getTime() - Math.floor(random() * span) + (random() < 0.02 ? Math.floor(random() * 2 * 86_400_000) : 0);
    while (taken.has(end)) end++;
    taken.add(end);
    const endedAt = new Date(end);
    const hasMedia = random() > 0.03;
    const mosAvg = hasMedia ? Math.round((1.5 + random() * 2.95) * 100) / 100 : null;
    const warningNames = RECORDED_WARNING_NAMES.filter(() => random() < 0.08);
    const band = mosAvg === null || mosAvg < 3.5 ? 'poor' : mosAvg < 4 || warningNames.length > 0 ? 'fair' : 'good';
    const [browser, browserVersion] = pick(browsers);
    const setup = SETUP_STEPS.slice(2).map((step, k) => {
      const failed = random() < 0.05;
      return { step, at: endedAt.toISOString(), durationMs: failed ? null : 100 + k, error: failed ? { code: pick([31005, 31009, 53405]), message: 'failed' } : null };
    });
    const identity = pick(identities);
    const callSid = `CA${(0xc0ffee000000 + i).toString(16).padStart(32, '0')}`;
    records.push({
      callSid, identity, direction: random() < 0.6 ? 'inbound' : 'outbound', endedAt: endedAt.toISOString(), band, mosAvg, warningNames, setup,
      browser, browserVersion, os: pick(['Windows', 'macOS', 'Linux', 'Chrome OS', null]),
      sdkVersion: pick(['2.12.1', '2.12.2', '2.13.0', '']), edge: pick(['ashburn', 'dublin', 'frankfurt', 'singapore', 'roaming', null]),
      networkType: pick(['wifi', 'ethernet', 'cellular', 'vpn', null]), inputDeviceLabel: pick(microphones),
    });
    if (random() < 0.33) ratings.push({ callSid, identity, score: 1 + Math.floor(random() * 5) });
  }
  // Ratings of legs with no record (the record may never come): never counted.
  for (let i = 0; i < 20; i++) ratings.push({ callSid: `CA${(0xdead00 + i).toString(16).padStart(32, '0')}`, identity: 'alice', score: 1 });
  const registrations: GeneratedRegistration[] = Array.from({ length: 300 }, () => {
    const at = new Date(now.getTime() - Math.floor(random() * span)).toISOString();
    const failed = random() < 0.3;
    return {
      identity: pick(identities), at,
      setup: [
        { step: 'token', at, durationMs: 40, error: null },
        { step: 'registration', at, durationMs: failed ? null : 300, error: failed ? { code: pick([31204, 53000]), message: 'failed' } : null },
      ],
    };
  });
  return { records, ratings, registrations };
}

/** Writes the data set: one statement per table. */
export async function insertInsightsData(database: Database, data: GeneratedData): Promise<void> {
  await database.db.execute(sql`
    INSERT INTO call_quality_records (call_sid, identity, direction, started_at, ended_at, band, sample_count, mos_min, mos_avg, mos_max,
      seconds_past_mos, seconds_past_rtt, seconds_past_jitter, seconds_past_loss, warning_names, samples, warnings, setup, dscp, sdk_version,
      edge, network_type, input_device_label, browser, browser_version, os, jitter_max, loss_max)
    SELECT r."callSid", r.identity, r.direction, r."endedAt" - interval '2 minutes', r."endedAt", r.band, 120, r."mosAvg" - 0.5, r."mosAvg", r."mosAvg",
      0, 0, 0, 0, r."warningNames", '\\x'::bytea, '[]'::jsonb, r.setup, true, r."sdkVersion",
      r.edge, r."networkType", r."inputDeviceLabel", r.browser, r."browserVersion", r.os, 12.5, 0.5
    FROM jsonb_to_recordset(${JSON.stringify(data.records)}::jsonb) AS r("callSid" text, identity text, direction text, "endedAt" timestamptz,
      band text, "mosAvg" real, "warningNames" text[], setup jsonb, "sdkVersion" text, edge text, "networkType" text, "inputDeviceLabel" text,
      browser text, "browserVersion" text, os text)`);
  await database.db.execute(sql`
    INSERT INTO call_quality_ratings (call_sid, identity, score)
    SELECT r."callSid", r.identity, r.score FROM jsonb_to_recordset(${JSON.stringify(data.ratings)}::jsonb) AS r("callSid" text, identity text, score smallint)`);
  await database.db.execute(sql`
    INSERT INTO registration_setups (identity, at, setup, sdk_version)
    SELECT r.identity, r.at, r.setup, '2.12.1' FROM jsonb_to_recordset(${JSON.stringify(data.registrations)}::jsonb) AS r(identity text, at timestamptz, setup jsonb)`);
}

export interface ExpectedFilter {
  readonly from: string; readonly to: string; readonly timeZone: string;
  readonly agent?: string; readonly direction?: string; readonly band?: string;
}

/** The calendar day of an instant in a zone, YYYY-MM-DD. */
const formats = new Map<string, Intl.DateTimeFormat>();
export function dayIn(iso: string, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }));
  return format.format(new Date(iso));
}

/** The generated records the filter keeps (the CSV's rows), oldest first. */
export function recordsOf(data: GeneratedData, filter: ExpectedFilter): GeneratedRecord[] {
  return data.records.filter((r) => {
    const day = dayIn(r.endedAt, filter.timeZone);
    return day >= filter.from && day <= filter.to && (filter.agent === undefined || r.identity === filter.agent)
      && (filter.direction === undefined || r.direction === filter.direction) && (filter.band === undefined || r.band === filter.band);
  }).sort((a, b) => a.endedAt.localeCompare(b.endedAt));
}

const round2 = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
const mean = (values: readonly number[]) => (values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length);
/** MOS is stored as float4: average what the database holds. */
const stored = (mos: number | null) => (mos === null ? null : Math.fround(mos));
const bands = (rows: readonly GeneratedRecord[]) => ({
  good: rows.filter((r) => r.band === 'good').length, fair: rows.filter((r) => r.band === 'fair').length, poor: rows.filter((r) => r.band === 'poor').length,
});
/** Code-unit order, as the SQL's COLLATE "C". */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function keyOf(dimension: InsightsDimension, r: GeneratedRecord, displayNames: ReadonlyMap<string, string>): string {
  switch (dimension) {
    case 'browser': return r.browser === null ? 'Unknown' : r.browserVersion ? `${r.browser} ${r.browserVersion.split('.')[0]}` : r.browser;
    case 'os': return r.os ?? 'Unknown';
    case 'sdkVersion': return r.sdkVersion || 'Unknown';
    case 'edge': return r.edge ?? 'Unknown';
    case 'networkType': return r.networkType ?? 'Unknown';
    case 'inputDevice': return r.inputDeviceLabel ?? 'Unknown';
    case 'agent': return displayNames.has(r.identity) ? `${displayNames.get(r.identity)} (${r.identity})` : r.identity;
    case 'direction': return r.direction;
  }
}

/** The report the API should answer, computed row by row in JS. */
export function expectedReport(data: GeneratedData, filter: ExpectedFilter, displayNames: ReadonlyMap<string, string>): InsightsReport {
  const rows = recordsOf(data, filter);
  const scoreOf = new Map(data.ratings.map((r) => [r.callSid, r.score]));
  const scores = rows.map((r) => scoreOf.get(r.callSid)).filter((s): s is number => s !== undefined);
  const overTime: Array<InsightsReport['overTime'][number]> = [];
  for (let day = filter.from; day <= filter.to; day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
    overTime.push({ day, ...bands(rows.filter((r) => dayIn(r.endedAt, filter.timeZone) === day)) });
  }
  const breakdowns = Object.fromEntries(INSIGHTS_DIMENSIONS.map((dimension) => {
    const groups = new Map<string, GeneratedRecord[]>();
    for (const r of rows) {
      const key = keyOf(dimension, r, displayNames);
      const members = groups.get(key);
      if (members) members.push(r); else groups.set(key, [r]);
    }
    const row = (key: string, members: readonly GeneratedRecord[]): InsightsBreakdownRow => ({
      key, calls: members.length, ...bands(members),
      avgMos: round2(mean(members.map((m) => stored(m.mosAvg)).filter((m): m is number => m !== null))),
    });
    const sorted = [...groups].sort(([ka, a], [kb, b]) => b.length - a.length || byCode(ka, kb));
    const top = sorted.slice(0, 20).map(([key, members]) => row(key, members));
    const rest = sorted.slice(20).flatMap(([, members]) => members);
    return [dimension, rest.length > 0 ? [...top, row('Other', rest)] : top];
  })) as unknown as InsightsReport['breakdowns'];
  const warningCounts = new Map<string, number>();
  for (const r of rows) for (const name of new Set(r.warningNames)) warningCounts.set(name, (warningCounts.get(name) ?? 0) + 1);
  const failures = new Map<string, number>();
  const countFailures = (setup: GeneratedRecord['setup']) => {
    for (const e of setup) if (e.error) failures.set(`${e.step}|${e.error.code}`, (failures.get(`${e.step}|${e.error.code}`) ?? 0) + 1);
  };
  rows.forEach((r) => countFailures(r.setup));
  if (filter.direction === undefined && filter.band === undefined) {
    data.registrations.filter((g) => {
      const day = dayIn(g.at, filter.timeZone);
      return day >= filter.from && day <= filter.to && (filter.agent === undefined || g.identity === filter.agent);
    }).forEach((g) => countFailures(g.setup));
  }
  return {
    from: filter.from, to: filter.to,
    totals: {
      calls: rows.length, ...bands(rows), avgMos: round2(mean(rows.map((r) => stored(r.mosAvg)).filter((m): m is number => m !== null))),
      rated: scores.length, avgRating: round2(mean(scores)),
    },
    overTime,
    breakdowns,
    topWarnings: [...warningCounts].sort(([na, a], [nb, b]) => b - a || byCode(na, nb))
      .map(([name, calls]) => ({ name: name as InsightsReport['topWarnings'][number]['name'], calls })),
    setupFailures: [...failures].map(([key, count]) => ({ step: key.split('|')[0] as InsightsReport['setupFailures'][number]['step'], code: Number(key.split('|')[1]), count }))
      .sort((a, b) => b.count - a.count || byCode(a.step, b.step) || a.code - b.code),
  };
}
