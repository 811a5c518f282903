import { rowsOf } from '@switchboard/api-data-access-db';
import { API_ROUTES, type ApiErrorBody, type InsightsReport } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn, startApi, type TestApi } from './support';
import {
  dayIn, expectedReport, generateInsightsData, insertInsightsData, recordsOf, TRICKY_LABELS, type ExpectedFilter, type GeneratedData,
} from './support/insights-data';

/**
 * The supervisors' Insights (issue 14, item 3) over real HTTP, on a generated data set of 10 000 calls over
 * three weeks (a few ending in the next two days), in a zone that is not UTC. Every figure of the report is
 * compared with the same figure computed in JS from the generated rows, for several filters.
 */
const TIME_ZONE = 'America/New_York';
const CALLS = 10_000;
const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Averages are rounded to 2 decimals on both sides, from sums taken in a different order: allow the last digit. */
type Averaged = { avgMos?: number | null; avgRating?: number | null };
function withoutAverages(report: InsightsReport): { plain: unknown; averages: Array<number | null> } {
  const averages: Array<number | null> = [];
  const strip = <T extends Averaged>(row: T) => {
    const { avgMos, avgRating, ...rest } = row;
    averages.push(avgMos ?? null, avgRating ?? null);
    return rest;
  };
  const breakdowns = Object.fromEntries(Object.entries(report.breakdowns).map(([dimension, rows]) => [dimension, rows.map(strip)]));
  return { plain: { ...report, totals: strip(report.totals), breakdowns }, averages };
}
function expectSameReport(actual: InsightsReport, expected: InsightsReport): void {
  const a = withoutAverages(actual);
  const e = withoutAverages(expected);
  expect(a.plain).toEqual(e.plain);
  expect(a.averages.length).toBe(e.averages.length);
  a.averages.forEach((value, i) => {
    if (e.averages[i] === null) expect(value).toBeNull();
    else expect(Math.abs((value as number) - (e.averages[i] as number))).toBeLessThanOrEqual(0.0101);
  });
}

/** RFC 4180 reader (quoted cells may hold commas, doubled quotes, CR and LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

describe.each(ENGINES)('Insights: the report and the CSV (%s)', (engine) => {
  let api: TestApi;
  let sam: string;
  let alice: string;
  let data: GeneratedData;
  let displayNames: Map<string, string>;
  let today: string;

  const get = (path: string, query: Record<string, string> | string, cookie?: string) =>
    fetch(`${api.url}${path}?${typeof query === 'string' ? query : new URLSearchParams(query).toString()}`, { headers: cookie ? { cookie } : {} });
  const report = async (query: Record<string, string>): Promise<InsightsReport> => {
    const response = await get(API_ROUTES.insights.report, query, sam);
    // On a failure, say why (the API's last log lines hold the database's error).
    if (response.status !== 200) throw new Error(`report answered ${response.status}: ${await response.text()}\n${api.logLines.slice(-3).join('\n')}`);
    return await response.json() as InsightsReport;
  };

  beforeAll(async () => {
    api = await startApi(engine, { FLOOR_TIME_ZONE: TIME_ZONE });
    sam = await signIn(api, 'sam');
    alice = await signIn(api, 'alice');
    const now = new Date();
    today = dayIn(now.toISOString(), TIME_ZONE);
    data = generateInsightsData(CALLS, now, 21);
    await insertInsightsData(api.database, data);
    const agents = rowsOf(await api.database.db.execute(sql`SELECT identity, display_name FROM agents`)) as Array<{ identity: string; display_name: string }>;
    displayNames = new Map(agents.map((a) => [a.identity, a.display_name]));
  }, 240_000);

  afterAll(async () => {
    await api?.close();
  });

  it('generated the data set it claims: 10 000 calls, some outside every range, more than 20 microphones and browsers', async () => {
    const [{ n }] = rowsOf(await api.database.db.execute(sql`SELECT count(*)::int AS n FROM call_quality_records`)) as Array<{ n: number }>;
    expect(n).toBe(CALLS);
    expect(data.records.some((r) => dayIn(r.endedAt, TIME_ZONE) > today)).toBe(true);
    expect(new Set(data.records.map((r) => r.inputDeviceLabel)).size).toBeGreaterThan(21);
  });

  it('defaults to the last 7 days ending today in FLOOR_TIME_ZONE, every figure as computed from the rows', async () => {
    const filter: ExpectedFilter = { from: shiftDay(today, -6), to: today, timeZone: TIME_ZONE };
    const actual = await report({});
    expect(actual.overTime).toHaveLength(7);
    expectSameReport(actual, expectedReport(data, filter, displayNames));
    expect(actual.breakdowns.inputDevice.at(-1)?.key).toBe('Other');
    expect(actual.breakdowns.inputDevice).toHaveLength(21);
    expect(actual.breakdowns.browser.some((row) => row.key === 'Unknown')).toBe(true);
  });

  it.each([
    ['a 16-day range reaching into tomorrow', { from: -14, to: 1 }, {}],
    ["alice's inbound calls", { from: -9, to: 0 }, { agent: 'alice', direction: 'inbound' }],
    ['poor outbound calls of an identity with no agent row', { from: -20, to: 0 }, { agent: 'ghost_one', band: 'poor', direction: 'outbound' }],
    ['fair calls only', { from: -3, to: -1 }, { band: 'fair' }],
  ] as const)('matches every figure for %s', async (_name, range, filters) => {
    const filter: ExpectedFilter = { from: shiftDay(today, range.from), to: shiftDay(today, range.to), timeZone: TIME_ZONE, ...filters };
    const expected = expectedReport(data, filter, displayNames);
    expect(expected.totals.calls).toBeGreaterThan(0);
    expectSameReport(await report({ from: filter.from, to: filter.to, ...filters }), expected);
  });

  it('answers every day of an empty range with zeros', async () => {
    const actual = await report({ from: '2020-02-01', to: '2020-03-01' });
    expect(actual.overTime).toHaveLength(30);
    expect(actual.overTime.every((d) => d.good + d.fair + d.poor === 0)).toBe(true);
    expect(actual.totals).toEqual({ calls: 0, good: 0, fair: 0, poor: 0, avgMos: null, rated: 0, avgRating: null });
    expect(Object.values(actual.breakdowns).every((rows) => rows.length === 0)).toBe(true);
    expect(actual).toMatchObject({ topWarnings: [], setupFailures: [] });
  });

  it('exports one CSV row per record, quoted, with formulas neutralised, as an attachment', async () => {
    const filter: ExpectedFilter = { from: shiftDay(today, -20), to: today, timeZone: TIME_ZONE };
    const response = await get(API_ROUTES.insights.csv, { from: filter.from, to: filter.to }, sam);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="switchboard-insights-${filter.from}-${filter.to}.csv"`);
    const rows = parseCsv(await response.text());
    const expected = recordsOf(data, filter);
    expect(rows[0]).toEqual(['ended_at', 'agent', 'direction', 'band', 'avg_mos', 'min_mos', 'max_jitter_ms', 'max_packet_loss_percent', 'warnings',
      'browser', 'os', 'sdk_version', 'edge', 'network_type', 'microphone', 'rating']);
    expect(rows.length - 1).toBe(expected.length);
    expect(rows.slice(1).map((row) => row[0])).toEqual(expected.map((r) => r.endedAt));
    const scoreOf = new Map(data.ratings.map((r) => [r.callSid, String(r.score)]));
    const guard = (label: string | null) => (label === null ? '' : /^[=+\-@]/.test(label) ? `'${label}` : label);
    expect(rows.slice(1).map((row) => [row[8], row[14], row[15]]))
      .toEqual(expected.map((r) => [r.warningNames.join(';'), guard(r.inputDeviceLabel), scoreOf.get(r.callSid) ?? '']));
    for (const label of TRICKY_LABELS) expect(rows.some((row) => row[14] === guard(label))).toBe(true);
    expect(rows.every((row) => row.length === 16)).toBe(true);
  });

  it('streams a CSV of the filtered records only (alice, inbound)', async () => {
    const filter: ExpectedFilter = { from: shiftDay(today, -6), to: today, timeZone: TIME_ZONE, agent: 'alice', direction: 'inbound' };
    const rows = parseCsv(await (await get(API_ROUTES.insights.csv, { agent: 'alice', direction: 'inbound' }, sam)).text());
    expect(rows.length - 1).toBe(recordsOf(data, filter).length);
    expect(new Set(rows.slice(1).map((row) => `${row[1]}|${row[2]}`))).toEqual(new Set([`${displayNames.get('alice')} (alice)|inbound`]));
  });

  it('is for supervisors: 401 without a session, 403 for an agent', async () => {
    for (const path of [API_ROUTES.insights.report, API_ROUTES.insights.csv]) {
      expect((await get(path, {})).status).toBe(401);
      expect((await get(path, {}, alice)).status).toBe(403);
    }
  });

  it.each([
    ['from=2026-02-30', 'from'],
    ['from=yesterday', 'from'],
    ['to=2026-1-5', 'to'],
    ['from=2026-03-02&to=2026-03-01', 'from'],
    ['from=2025-01-01&to=2026-01-02', 'to'],
    ['direction=sideways', 'direction'],
    ['band=terrible', 'band'],
    ['agent=alice%3Bdrop', 'agent'],
    ['from=2026-03-01&from=2026-03-02', 'from'],
    ['colour=blue', 'colour'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    for (const path of [API_ROUTES.insights.report, API_ROUTES.insights.csv]) {
      const response = await get(path, query, sam);
      expect(response.status).toBe(400);
      expect((await response.json() as ApiErrorBody).field).toBe(field);
    }
  });
});
