import { API_ROUTES, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { rowsOf } from '@switchboard/api-data-access-db';
import { sql } from 'drizzle-orm';
import { callSid, parseTwiml, recordingSid, startApi, type TestApi } from '../support';
import { dialOf, fakeTelephony, type FakeTelephony } from '../support/dialled';
import { refusalReasons } from './abuse-limits';
import { sendSigned } from './webhook-corpus';
import { rawRequest } from './raw-http';
import { runFuzz } from './fuzz';
import { COUNTS_NOW, FUZZ_SEED, QUIET_APP_ENV, RELIABILITY_ENGINES, reportFigures, SCENARIO_TIMEOUT_MS } from './scenario-size';
import { discoverRoutes, genuineRequest } from './webhook-routes';

/** Figure 3 of reliability.md (W6–W7): property-based fuzz of every webhook and agent route; no 5xx, still alive. One app for all. */
describe.each(RELIABILITY_ENGINES)('fuzz of every webhook and /api route (%s)', (engine) => {
  let api: TestApi;
  // The provider's REST side (agents rung, numbers dialled into conferences), recorded rather than reached.
  let telephony: FakeTelephony;
  beforeAll(async () => {
    api = await startApi(engine, QUIET_APP_ENV);
    telephony = fakeTelephony(api);
  }, 120_000);
  afterAll(() => api?.close());

  // Found by this fuzz (seed 20261206, case 1699): U+0000 is refused by Postgres text and jsonb, so such a
  // callback answered 503 on every retry, and a TwiML webhook lost its call record. Run before the fuzz.
  it('stores status and recording callbacks whose parameter names, values or query carry NUL (204, not 503)', async () => {
    const status = genuineRequest(api, WEBHOOK_ROUTES.status, 0x6_0001);
    const recording = genuineRequest(api, WEBHOOK_ROUTES.recordingStatus, 0x6_0002);
    const answers = await Promise.all([
      sendSigned(api, { path: status.path, pairs: [...status.pairs, ['Caller\u0000Name', 'a\u0000b']] }),
      sendSigned(api, { path: `${recording.path.split('?')[0]}?to=%2B14155550100&from=%00x`, pairs: [...recording.pairs, ['\u0000', '\u0000']] }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([204, 204]);
    expect(await rowsFor(api, callSid(0x6_0001), recordingSid(0x6_0002))).toEqual({ events: 1, voicemails: 1 });
  });

  it('rings the agents for an inbound caller whose From carries NUL, and audits a refused number that carries NUL', async () => {
    const incoming = genuineRequest(api, WEBHOOK_ROUTES.incoming, 0x6_0003);
    const rung = await sendSigned(api, { path: incoming.path, pairs: incoming.pairs.map(([k, v]) => [k, k === 'From' ? '+1415\u00005550150' : v]) });
    // The caller waits in their conference (CUSTOMER_CALL_ANCHOR=conference) while bob is rung into it over REST.
    expect(dialOf(parseTwiml(rung.text))).toMatchObject({ kind: 'conference', target: `sb-${callSid(0x6_0003)}` });
    expect((await telephony.addedTo(`sb-${callSid(0x6_0003)}`)).map((p) => [p.to, p.from.includes('\u0000')])).toEqual([['client:bob', false]]);
    const outgoing = genuineRequest(api, WEBHOOK_ROUTES.outgoing, 0x6_0004);
    const refused = await sendSigned(api, { path: outgoing.path, pairs: outgoing.pairs.map(([k, v]) => [k, k === 'To' ? '+1900\u00005550123' : v]) });
    expect(parseTwiml(refused.text)['Dial']).toBeUndefined();
    expect(await rowsFor(api, callSid(0x6_0003), '')).toEqual({ events: 0, voicemails: 0, calls: 1 });
    expect(await refusalReasons(api, [callSid(0x6_0004)])).toEqual({ [callSid(0x6_0004)]: expect.any(String) });
  });

  it(`answers ${COUNTS_NOW.fuzzCases} generated requests (seed ${FUZZ_SEED}) without a 5xx, and still answers /health`, async () => {
    const routes = discoverRoutes(api);
    const result = await runFuzz(api, routes, COUNTS_NOW.fuzzCases, FUZZ_SEED);
    const [live, ready] = await Promise.all([API_ROUTES.health.live, API_ROUTES.health.ready].map((path) => rawRequest(api.url, { method: 'GET', path })));
    const fiveXx = result.serverErrors.length;
    const fuzzedRoutes = routes.filter((r) => r.webhook || r.path.startsWith('/api'));
    reportFigures('fuzz', engine, [
      { figure: 'fuzz cases run (fast-check)', measured: String(result.cases), target: `≥ ${COUNTS_NOW.fuzzCases}`, detail: `seed ${result.seed}; ${fuzzedRoutes.length} routes (${fuzzedRoutes.filter((r) => r.webhook).length} webhooks)` },
      { figure: 'fuzz: 5xx answers or requests never answered', measured: String(fiveXx), target: '0' },
      { figure: 'fuzz: /health/live and /health/ready after the run', measured: `${live.status} ${ready.status}`, target: '200 200' },
      { figure: 'fuzz: signed webhook cases past the guard (reached validation)', measured: String(result.webhookPastGuard), target: '> 0' },
      { figure: 'fuzz: status histogram, webhooks', measured: histogram(result.histogram.webhook), target: 'no 5xx' },
      { figure: 'fuzz: status histogram, /api', measured: histogram(result.histogram.agent), target: 'no 5xx' },
    ], { failure: result.failure, serverErrors: result.serverErrors.slice(0, 10) });
    expect({ failure: result.failure, serverErrors: result.serverErrors.slice(0, 5) }).toEqual({ failure: null, serverErrors: [] });
    expect(result.cases).toBe(COUNTS_NOW.fuzzCases);
    expect([live.status, ready.status]).toEqual([200, 200]);
    // The generator must reach the handlers, not only the guard: every webhook route and both answer kinds.
    expect(result.webhookPastGuard).toBeGreaterThan(COUNTS_NOW.fuzzCases / 10);
    expect(Object.keys(result.histogram.webhook)).toEqual(expect.arrayContaining(['200', '204', '400', '403']));
    expect(Object.keys(result.histogram.agent)).toEqual(expect.arrayContaining(['200', '400', '401']));
  }, SCENARIO_TIMEOUT_MS);
});

async function rowsFor(api: TestApi, sid: string, recording: string): Promise<Record<string, number>> {
  const [row] = rowsOf(await api.database.db.execute(sql`
    SELECT (SELECT count(*)::int FROM call_events WHERE call_sid = ${sid}) AS events,
           (SELECT count(*)::int FROM voicemails WHERE recording_sid = ${recording}) AS voicemails,
           (SELECT count(*)::int FROM calls WHERE call_sid = ${sid}) AS calls`)) as Array<Record<string, number>>;
  return recording === '' ? row : { events: row['events'], voicemails: row['voicemails'] };
}

function histogram(counts: Record<string, number>): string {
  return Object.entries(counts).sort(([a], [b]) => Number(a) - Number(b)).map(([status, n]) => `${status}:${n}`).join(' ');
}
