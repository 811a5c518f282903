import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type CallRecord } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE } from '@switchboard/softphone-ui';
import { qualityRecord } from '@switchboard/softphone-ui/testing';
import { SoftphoneHistory } from './softphone-history';

const call: CallRecord = {
  id: 'c1', callSid: 'CA1', direction: 'inbound', from: '+15005550006', to: 'client:alice', status: 'completed', durationSeconds: 10,
  startedAt: '2026-12-06T10:00:00.000Z', endedAt: '2026-12-06T10:00:10.000Z', handoffs: [], dispositions: [], ringOutcomes: [],
  quality: { band: 'poor', avgMos: 4.3, warningCount: 1 },
};

describe('QualityDetail (opened from the history list)', () => {
  let http: HttpTestingController;
  let announce: jest.SpyInstance;

  // jsdom has no canvas: the chart gets no context and draws nothing (its data is tested as pure functions).
  beforeAll(() => jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null));

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), { provide: DISPLAY_LOCALE, useValue: 'en-GB' }] });
    http = TestBed.inject(HttpTestingController);
    announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
  });
  afterEach(() => http.verify());

  async function openDetail() {
    const fixture = TestBed.createComponent(SoftphoneHistory);
    http.expectOne((r) => r.url === API_ROUTES.calls.list).flush({ items: [call], page: 1, pageSize: 10, total: 1 });
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    http.expectOne(API_ROUTES.agents).flush([]);
    await fixture.whenStable();
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid=quality-detail-open]')?.click();
    await fixture.whenStable();
    const detail = () => document.querySelector('[data-testid=quality-detail]') as HTMLElement;
    expect(detail().getAttribute('data-status')).toBe('loading');
    expect(detail().textContent).toContain('Loading the call’s quality record');
    return { fixture, detail };
  }

  /**
   * The load awaits the response in a promise, and the chart's @defer block imports its chunk: let each
   * continue, then let the dialog render (a few microtask turns, no timers).
   */
  async function settle(fixture: { whenStable(): Promise<unknown> }) {
    for (let turn = 0; turn < 4; turn++) {
      await Promise.resolve();
      await fixture.whenStable();
    }
  }

  afterEach(() => document.querySelectorAll('.cdk-overlay-container').forEach((el) => (el.innerHTML = '')));

  it('loads the call’s records and shows, per leg, the chart, the samples table, the set-up timeline and the facts', async () => {
    const { fixture, detail } = await openDetail();
    http.expectOne(API_ROUTES.quality.forCall('c1')).flush({ records: [qualityRecord(), qualityRecord({ id: 'q2', callSid: 'CA2', identity: 'bob', direction: 'outbound' })] });
    await settle(fixture);
    expect(detail().getAttribute('data-status')).toBe('loaded');
    const legs = detail().querySelectorAll('[data-testid=quality-leg]');
    expect([...legs].map((leg) => leg.querySelector('h3')?.textContent?.trim())).toEqual(['alice’s leg · incoming · Poor', 'bob’s leg · outgoing · Poor']);
    for (const testId of ['quality-chart', 'quality-samples-table', 'quality-setup-timeline', 'quality-facts']) {
      expect(legs[0].querySelector(`[data-testid=${testId}]`)).not.toBeNull();
    }
    expect(legs[0].querySelector('[data-testid=quality-chart-warning]')?.textContent?.trim()).toBe('Audio dropping out, 0:03–0:06');
    expect(document.querySelector('[mat-dialog-title]')?.textContent).toContain('Call quality: +1 500 555 0006');
    expect(announce).toHaveBeenCalledWith('Quality record loaded: alice’s leg · incoming · Poor; bob’s leg · outgoing · Poor.', 'polite');
  });

  it('says what to do when loading fails, and tries again on request', async () => {
    const { fixture, detail } = await openDetail();
    http.expectOne(API_ROUTES.quality.forCall('c1')).flush({ statusCode: 503, error: 'Service Unavailable', message: 'Quality records are unavailable.' }, { status: 503, statusText: 'Unavailable' });
    await settle(fixture);
    const problem = detail().querySelector('[data-testid=quality-detail-error]');
    expect(problem?.getAttribute('role')).toBe('alert');
    expect(problem?.textContent).toContain('Quality records are unavailable.');
    expect(problem?.textContent).toContain('Check your network connection and try again.');
    detail().querySelector<HTMLButtonElement>('[data-testid=quality-detail-retry]')?.click();
    http.expectOne(API_ROUTES.quality.forCall('c1')).flush({ records: [] });
    await settle(fixture);
    expect(detail().querySelector('[data-testid=quality-detail-empty]')?.textContent).toContain('No quality record arrived for this call.');
  });
});
