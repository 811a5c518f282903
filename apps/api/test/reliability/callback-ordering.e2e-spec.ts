import { startApi, type TestApi } from '../support';
import { EXPECTED_FINAL_RECORD, recordText, runConcurrentDuplicates, runOrderings } from './callback-orderings';
import { COUNTS_NOW, QUIET_APP_ENV, ratio, RELIABILITY_ENGINES, reportFigures, SCENARIO_TIMEOUT_MS } from './scenario-size';

/** Figures 5 and 6 of reliability.md (I1–I2): orderings and duplicates of callbacks end in one identical record. */
describe.each(RELIABILITY_ENGINES)('status callback orderings and duplicate deliveries (%s)', (engine) => {
  let api: TestApi;
  beforeAll(async () => { api = await startApi(engine, QUIET_APP_ENV); }, 120_000);
  afterAll(() => api?.close());

  it(`gives one identical final call record for ${COUNTS_NOW.orderings} of the 120 orderings of a call's 5 status callbacks, each delivered twice`, async () => {
    const outcomes = await runOrderings(api, COUNTS_NOW.orderings, 0x4_0000);
    const identical = outcomes.filter((o) => o.records.length === 1 && recordText(o.records[0]) === recordText(EXPECTED_FINAL_RECORD));
    const wrong = outcomes.filter((o) => !identical.includes(o));
    const deliveries = outcomes.reduce((sum, o) => sum + o.statuses.length, 0);
    reportFigures('orderings', engine, [
      { figure: 'orderings of 5 status callbacks → the same final record', measured: ratio(identical.length, outcomes.length), target: '120/120',
        detail: `${deliveries} deliveries (each event twice); events per call ${[...new Set(outcomes.map((o) => o.events))].join('/')}, inbox rows per call ${[...new Set(outcomes.map((o) => o.inboxRows))].join('/')}` },
      { figure: 'orderings: answers other than 204', measured: String(outcomes.flatMap((o) => o.statuses).filter((s) => s !== 204).length), target: '0' },
    ], { wrong: wrong.slice(0, 5) });
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(outcomes).toHaveLength(COUNTS_NOW.orderings);
    for (const o of outcomes) {
      expect({ order: o.order, statuses: [...new Set(o.statuses)], events: o.events, inboxRows: o.inboxRows, inboxPending: o.inboxPending })
        .toEqual({ order: o.order, statuses: [204], events: 5, inboxRows: 5, inboxPending: 0 });
    }
  }, SCENARIO_TIMEOUT_MS);

  it('stores exactly one row for 50 concurrent copies of a status callback and of a recording callback', async () => {
    const outcome = await runConcurrentDuplicates(api, COUNTS_NOW.duplicateRounds, 0x5_0000);
    const exactlyOne = outcome.rows.filter((r) => Object.values(r).every((n) => n === 1)).length;
    reportFigures('duplicates', engine, [
      { figure: 'duplicate callbacks (50-way concurrent) → exactly one row per event key', measured: ratio(exactlyOne, outcome.rows.length), target: `${outcome.rows.length}/${outcome.rows.length}`,
        detail: `${outcome.deliveries} deliveries; answers ${Object.entries(outcome.statuses).map(([s, n]) => `${s}:${n}`).join(' ')}` },
      { figure: 'duplicate callbacks: 5xx answers', measured: String(Object.entries(outcome.statuses).filter(([s]) => Number(s) >= 500).reduce((sum, [, n]) => sum + n, 0)), target: '0' },
    ], { rows: outcome.rows.slice(0, 5) });
    expect(outcome.statuses).toEqual({ 204: outcome.deliveries });
    for (const row of outcome.rows) expect(row).toEqual({ events: 1, calls: 1, statusInbox: 1, voicemails: 1, recordingInbox: 1 });
  }, SCENARIO_TIMEOUT_MS);
});
