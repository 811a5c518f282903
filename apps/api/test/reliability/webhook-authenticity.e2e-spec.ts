import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { startApi, type TestApi } from '../support';
import { COUNTS_NOW, QUIET_APP_ENV, ratio, RELIABILITY_ENGINES, reportFigures, SCENARIO_TIMEOUT_MS } from './scenario-size';
import { runForgedCorpus, runGenuineCorpus, type CorpusOutcome } from './webhook-corpus';
import { discoverRoutes, snapshotTables } from './webhook-routes';

const SECONDARY_TOKEN = 'R'.repeat(32);

/** Figures 1 and 2 of reliability.md: forged webhooks refused N/N with 0 writes; genuine variants accepted M/M. */
describe.each(RELIABILITY_ENGINES)('webhook authenticity, every route (%s)', (engine) => {
  let api: TestApi;
  let routes: string[];
  beforeAll(async () => {
    // Rotating: the secondary token is configured, so its signatures are genuine too (W14).
    api = await startApi(engine, { ...QUIET_APP_ENV, TWILIO_AUTH_TOKEN_SECONDARY: SECONDARY_TOKEN });
    routes = discoverRoutes(api).filter((r) => r.webhook).map((r) => r.path);
  }, 120_000);
  afterAll(() => api?.close());

  it('finds every webhook route behind the signature guard, and no webhook route without it', () => {
    expect([...routes].sort()).toEqual(Object.values(WEBHOOK_ROUTES).sort());
    const unguarded = discoverRoutes(api).filter((r) => r.path.startsWith('/webhooks') && !r.webhook);
    expect(unguarded).toEqual([]);
  });

  it('refuses every forged delivery on every route with 403, writes nothing and never answers 5xx', async () => {
    const before = await snapshotTables(api);
    const outcomes = await runForgedCorpus(api, routes, COUNTS_NOW.corpusRounds, 0x1_0000);
    const after = await snapshotTables(api);
    const notRefused = outcomes.filter((o) => o.status !== 403);
    const changedTables = Object.keys(before).filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t]));
    reportFigures('forged', engine, [
      { figure: 'forged webhooks refused (403)', measured: ratio(outcomes.length - notRefused.length, outcomes.length), target: `${outcomes.length}/${outcomes.length}`,
        detail: `${routes.length} routes × ${new Set(outcomes.map((o) => o.name)).size} forgery kinds × ${COUNTS_NOW.corpusRounds} rounds; ${perRoute(outcomes, 403)}` },
      { figure: 'forged webhooks: tables changed (rows or content)', measured: String(changedTables.length), target: '0', detail: `${Object.keys(before).length} tables compared` },
      { figure: 'forged webhooks: 5xx answers', measured: String(outcomes.filter((o) => o.status >= 500).length), target: '0' },
    ], { notRefused: notRefused.slice(0, 20) });
    expect(notRefused).toEqual([]);
    expect(changedTables).toEqual([]);
    expect(after).toEqual(before);
  }, SCENARIO_TIMEOUT_MS);

  it('accepts every genuine variant on every route (2xx): URL variants, unknown params, proxy headers, the secondary token', async () => {
    const outcomes = await runGenuineCorpus(api, routes, COUNTS_NOW.corpusRounds, 0x2_0000);
    const rejected = outcomes.filter((o) => o.status < 200 || o.status > 299);
    reportFigures('genuine', engine, [
      { figure: 'genuine webhooks accepted (2xx)', measured: ratio(outcomes.length - rejected.length, outcomes.length), target: `${outcomes.length}/${outcomes.length}`,
        detail: `${routes.length} routes × ${new Set(outcomes.map((o) => o.name)).size} variants × ${COUNTS_NOW.corpusRounds} rounds` },
      { figure: 'genuine webhooks: 5xx answers', measured: String(outcomes.filter((o) => o.status >= 500).length), target: '0' },
    ], { rejected: rejected.slice(0, 20) });
    expect(rejected).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
});

function perRoute(outcomes: readonly CorpusOutcome[], status: number): string {
  const routes = [...new Set(outcomes.map((o) => o.route))];
  return routes.map((route) => {
    const mine = outcomes.filter((o) => o.route === route);
    return `${route.replace('/webhooks/voice/', '')} ${mine.filter((o) => o.status === status).length}/${mine.length}`;
  }).join(', ');
}
