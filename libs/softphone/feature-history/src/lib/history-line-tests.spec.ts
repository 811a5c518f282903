import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE } from '@switchboard/softphone-ui';
import { lineTest } from '@switchboard/softphone-ui/testing';
import { HistoryLineTests, lineTestsAnnouncement } from './history-line-tests';

describe('HistoryLineTests', () => {
  let http: HttpTestingController;
  let announce: jest.SpyInstance;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), { provide: DISPLAY_LOCALE, useValue: 'en-GB' }] });
    http = TestBed.inject(HttpTestingController);
    announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
  });
  afterEach(() => http.verify());

  async function open() {
    const fixture = TestBed.createComponent(HistoryLineTests);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[data-testid=history-line-tests]')?.getAttribute('data-status')).toBe('loading');
    expect(root.textContent).toContain('Loading line tests');
    return { fixture, root, request: http.expectOne((r) => r.url === API_ROUTES.quality.lineTests && !r.params.has('identity')) };
  }

  it('lists the agent’s own tests newest first: when, result in words with what to do, figures and edge; and announces them', async () => {
    const { fixture, root, request } = await open();
    request.flush({ lineTests: [
      lineTest({ id: 'b', verdict: 'poor', callQuality: 'degraded', packetLossPercent: 4.2 }),
      lineTest({ id: 'a', verdict: 'poor', callQuality: null, error: { code: 31005, message: 'Connection error' }, mos: { min: null, avg: null, max: null } }),
    ] });
    await fixture.whenStable();
    fixture.detectChanges();
    const rows = [...root.querySelectorAll('[data-testid=history-line-test]')].map((r) => r.textContent?.replace(/\s+/g, ' ').trim());
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Poor');
    expect(rows[0]).toContain('Use a wired connection');
    expect(rows[0]).toContain('4.2');
    expect(rows[0]).toContain('4.2 %');
    expect(rows[0]).toContain('45 ms');
    expect(rows[0]).toContain('ashburn');
    expect(rows[1]).toContain('Failed');
    expect(rows[1]).toContain('The line test failed');
    expect(announce).toHaveBeenCalledWith('2 line tests, the newest poor.', 'polite');
  });

  it('says when there is no test yet, and where to run one', async () => {
    const { fixture, root, request } = await open();
    request.flush({ lineTests: [] });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(root.querySelector('[data-testid=history-line-tests-empty]')?.textContent).toContain('Settings → Test my line');
    expect(announce).toHaveBeenCalledWith('No line tests yet.', 'polite');
  });

  it('shows a failure as an alert and loads again on retry', async () => {
    const { fixture, root, request } = await open();
    request.flush({ message: 'Database unavailable' }, { status: 503, statusText: 'Unavailable' });
    await fixture.whenStable();
    fixture.detectChanges();
    const alert = root.querySelector('[data-testid=history-line-tests-error]');
    expect(alert?.getAttribute('role')).toBe('alert');
    (alert?.querySelector('button') as HTMLButtonElement).click();
    http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [lineTest()] });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(root.querySelectorAll('[data-testid=history-line-test]')).toHaveLength(1);
  });

  it('words the announcement for one test', () => {
    expect(lineTestsAnnouncement([lineTest({ verdict: 'excellent' })])).toBe('1 line test, the newest excellent.');
  });
});
