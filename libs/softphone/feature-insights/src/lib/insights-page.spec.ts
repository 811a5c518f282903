import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { convertToParamMap, provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { API_ROUTES, INSIGHTS_DIMENSIONS, INSIGHTS_DIMENSION_WORDS, type InsightsBreakdownRow, type InsightsDimension, type InsightsReport } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE, FALLBACK_PALETTE } from '@switchboard/softphone-ui';
import { insightsQueryFrom, insightsQueryParams, overTimeChartConfig } from './insights-data';
import { InsightsPage } from './insights-page';

const row = (key: string, good: number, fair: number, poor: number): InsightsBreakdownRow => ({ key, calls: good + fair + poor, good, fair, poor, avgMos: 4.05 });
const noBreakdowns = Object.fromEntries(INSIGHTS_DIMENSIONS.map((d) => [d, []])) as unknown as Record<InsightsDimension, InsightsBreakdownRow[]>;
const report: InsightsReport = {
  from: '2026-11-30', to: '2026-12-06',
  totals: { calls: 12, good: 8, fair: 3, poor: 1, avgMos: 4.12, rated: 2, avgRating: 3.5 },
  overTime: [{ day: '2026-12-05', good: 5, fair: 1, poor: 0 }, { day: '2026-12-06', good: 3, fair: 2, poor: 1 }],
  breakdowns: { ...noBreakdowns, browser: [row('Chrome 131', 7, 2, 1), row('Firefox 133', 1, 1, 0)], agent: [row('alice', 8, 3, 1)] },
  topWarnings: [{ name: 'high-jitter', calls: 3 }, { name: 'high-packet-loss', calls: 1 }],
  setupFailures: [{ step: 'registration', code: 31005, count: 2 }],
};
const empty: InsightsReport = { ...report, totals: { calls: 0, good: 0, fair: 0, poor: 0, avgMos: null, rated: 0, avgRating: null }, overTime: [], breakdowns: noBreakdowns, topWarnings: [], setupFailures: [] };

describe('Insights data', () => {
  it('reads filters from the URL, dropping malformed ones, and writes them back with unset ones removed', () => {
    const query = insightsQueryFrom(convertToParamMap({ from: '2026-12-01', to: 'yesterday', agent: ' bob ', direction: 'sideways', band: 'poor' }));
    expect(query).toEqual({ from: '2026-12-01', agent: 'bob', band: 'poor' });
    expect(insightsQueryParams(query)).toEqual({ from: '2026-12-01', to: null, agent: 'bob', direction: null, band: 'poor' });
  });

  it('stacks the days’ good, fair and poor calls in the theme’s band colours', () => {
    const config = overTimeChartConfig(report, FALLBACK_PALETTE);
    expect(config.data.labels).toEqual(['2026-12-05', '2026-12-06']);
    expect(config.data.datasets.map((d) => [d.label, d.data, d.backgroundColor])).toEqual([
      ['Good', [5, 3], FALLBACK_PALETTE.good], ['Fair', [1, 2], FALLBACK_PALETTE.fair], ['Poor', [0, 1], FALLBACK_PALETTE.poor],
    ]);
    expect(config.options?.scales?.['y']).toMatchObject({ stacked: true });
  });
});

describe('InsightsPage', () => {
  let http: HttpTestingController;
  let announce: jest.SpyInstance;
  beforeAll(() => jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)); // jsdom has no canvas

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([{ path: 'insights', component: InsightsPage }]), { provide: DISPLAY_LOCALE, useValue: 'en-GB' }],
    });
    http = TestBed.inject(HttpTestingController);
    announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
  });
  // The line-test section's reads are covered in insights-line-tests.spec.ts; here they answer "none yet".
  afterEach(() => {
    http.match((r) => r.url === API_ROUTES.quality.lineTests).forEach((r) => r.flush({ lineTests: [] }));
    http.verify();
  });

  const reportRequest = (): TestRequest => http.expectOne((r) => r.url === API_ROUTES.insights.report);

  async function open(url: string) {
    const harness = await RouterTestingHarness.create(url);
    http.expectOne(API_ROUTES.agents).flush([{ identity: 'alice', displayName: 'Alice Adams' }]);
    const root = () => harness.routeNativeElement as HTMLElement;
    const texts = (selector: string) => [...root().querySelectorAll(selector)].map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
    /** Each row's cells joined by a space (a row's textContent runs the cells together). */
    const rows = (selector: string) => [...root().querySelectorAll(`${selector} tbody tr`)].map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim()).join(' '));
    return { harness, root, texts, rows };
  }

  it('asks for the URL’s filters and shows totals, over time, breakdowns, top warnings, set-up failures and the CSV link', async () => {
    const { harness, root, texts, rows } = await open('/insights?from=2026-12-01&band=poor');
    expect(root().querySelector('[data-testid=insights-loading]')).not.toBeNull();
    const request = reportRequest();
    expect(request.request.params.get('from')).toBe('2026-12-01');
    expect(request.request.params.get('band')).toBe('poor');
    request.flush(report);
    // The charts are in @defer blocks: let their imports resolve, then render (microtasks, no timers). A loaded
    // machine can need more turns than an idle one, so turn until the last of them is there (bounded).
    const chartsShown = () => ['insights-over-time', 'insights-chart-browser', 'insights-chart-agent', 'insights-chart-warnings']
      .every((id) => root().querySelector(`[data-testid=${id}] canvas`) !== null);
    for (let turn = 0; turn < 50 && !chartsShown(); turn++) {
      await Promise.resolve();
      await harness.fixture.whenStable();
    }
    expect(root().querySelector('[data-testid=insights-page]')?.getAttribute('data-status')).toBe('loaded');
    expect(texts('[data-testid=insights-total-calls]')).toEqual(['12']);
    expect(root().querySelector('[data-testid=insights-export]')?.getAttribute('href')).toBe(`${API_ROUTES.insights.csv}?from=2026-12-01&band=poor`);
    expect(root().querySelector<HTMLSelectElement>('[data-testid=insights-band]')?.value).toBe('poor');
    expect(root().querySelector<HTMLInputElement>('[data-testid=insights-to]')?.value).toBe('2026-12-06'); // the API's default end
    const browser = root().querySelector('[data-testid=insights-breakdown-browser]') as HTMLTableElement;
    expect(browser.caption?.textContent?.trim()).toBe('Browser and version');
    expect([...browser.tBodies[0].rows[0].cells].map((c) => c.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Chrome 131', '10', '7 (70 %)', '2 (20 %)', '1 (10 %)', '4.05']);
    for (const dimension of INSIGHTS_DIMENSIONS) expect(root().querySelector(`[data-testid=insights-breakdown-${dimension}]`)).not.toBeNull();
    expect(texts('[data-testid=insights-top-warnings] tbody th')).toEqual(['Choppy audio (high-jitter)', 'Audio dropping out (high-packet-loss)']);
    expect(rows('[data-testid=insights-setup-failures]')).toEqual(['Registration 31005 2']);
    expect(rows('[data-testid=insights-over-time]')).toEqual(['2026-12-05 5 1 0 6', '2026-12-06 3 2 1 6']);
    expect(root().querySelector('[data-testid=insights-over-time] canvas')?.getAttribute('role')).toBe('img');
    // Each breakdown with calls has its chart (an image named by a summary) above its table; one without calls only the table.
    expect(texts('.breakdown h3')).toEqual(INSIGHTS_DIMENSIONS.map((d) => INSIGHTS_DIMENSION_WORDS[d]));
    const browserChart = root().querySelector('[data-testid=insights-chart-browser] canvas');
    expect(browserChart?.getAttribute('role')).toBe('img');
    expect(browserChart?.getAttribute('aria-label')).toContain('Most calls: Chrome 131, 10 (7 good, 2 fair, 1 poor)');
    expect(root().querySelector('[data-testid=insights-chart-agent] canvas')).not.toBeNull();
    expect(root().querySelector('[data-testid=insights-chart-os]')).toBeNull();
    expect(root().querySelector('[data-testid=insights-chart-warnings] canvas')?.getAttribute('aria-label')).toContain('Most frequent: Choppy audio, 3 calls');
    expect(announce).toHaveBeenCalledWith('Insights updated. 12 calls from 2026-11-30 to 2026-12-06: 8 good, 3 fair, 1 poor.', 'polite');
  });

  it('puts a changed filter in the URL and loads the report again', async () => {
    const { harness, root } = await open('/insights');
    reportRequest().flush(report);
    await harness.fixture.whenStable();
    const direction = root().querySelector('[data-testid=insights-direction]') as HTMLSelectElement;
    direction.value = 'inbound';
    direction.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/insights?direction=inbound');
    const again = reportRequest();
    expect(again.request.params.get('direction')).toBe('inbound');
    again.flush(empty);
    await harness.fixture.whenStable();
    expect(root().querySelector('[data-testid=insights-empty]')?.textContent).toContain('No calls in this range');
    expect(root().querySelector('[data-testid=insights-over-time]')).toBeNull();
    expect(announce).toHaveBeenLastCalledWith('No calls in this range.', 'polite');
  });

  it('says what to do when the report fails, and tries again', async () => {
    const { harness, root } = await open('/insights?from=2020-01-01');
    reportRequest().flush({ statusCode: 400, error: 'Bad Request', message: 'from: the range is at most 366 days.' }, { status: 400, statusText: 'Bad Request' });
    await harness.fixture.whenStable();
    const problem = root().querySelector('[data-testid=insights-error]');
    expect(problem?.getAttribute('role')).toBe('alert');
    expect(problem?.textContent).toContain('from: the range is at most 366 days.');
    root().querySelector<HTMLButtonElement>('[data-testid=insights-retry]')?.click();
    reportRequest().flush(report);
    await harness.fixture.whenStable();
    expect(root().querySelector('[data-testid=insights-page]')?.getAttribute('data-status')).toBe('loaded');
  });
});
