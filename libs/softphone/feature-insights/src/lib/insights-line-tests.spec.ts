import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE } from '@switchboard/softphone-ui';
import { lineTest } from '@switchboard/softphone-ui/testing';
import { InsightsLineTests, lineTestRowsAnnouncement, teamRows } from './insights-line-tests';

const agents = [{ identity: 'alice', displayName: 'Alice Adams' }, { identity: 'bob', displayName: 'Bob Brown' }];

describe('InsightsLineTests', () => {
  let http: HttpTestingController;
  let announce: jest.SpyInstance;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), { provide: DISPLAY_LOCALE, useValue: 'en-GB' }] });
    http = TestBed.inject(HttpTestingController);
    announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
  });
  afterEach(() => http.verify());

  function create(agent?: string): { fixture: ComponentFixture<InsightsLineTests>; root: HTMLElement } {
    const fixture = TestBed.createComponent(InsightsLineTests);
    fixture.componentRef.setInput('agents', agents);
    if (agent) fixture.componentRef.setInput('agent', agent);
    fixture.detectChanges();
    return { fixture, root: fixture.nativeElement as HTMLElement };
  }
  const forAgent = (identity: string) => http.expectOne((r) => r.url === API_ROUTES.quality.lineTests && r.params.get('identity') === identity);
  /** Each row's cells joined by a space. */
  const rowTexts = (root: HTMLElement) => [...root.querySelectorAll('[data-testid=insights-line-test]')].map((r) => [...r.children].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()).join(' '));
  async function settle(fixture: ComponentFixture<InsightsLineTests>) {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  it('team view: each agent’s newest test, or "No line test yet", and announces the count', async () => {
    const { fixture, root } = create();
    expect(root.textContent).toContain('Loading line tests');
    http.expectOne((r) => r.url === API_ROUTES.quality.lineTests && r.params.get('scope') === 'team' && !r.params.has('identity'))
      .flush({ lineTests: [lineTest({ id: 'new', identity: 'alice', verdict: 'poor', edge: 'dublin' })] });
    await settle(fixture);
    const rows = rowTexts(root);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Alice Adams');
    expect(rows[0]).toContain('Poor');
    expect(rows[0]).toContain('dublin');
    expect(rows[1]).toBe('Bob Brown No line test yet.');
    expect(root.querySelector('h2')?.textContent).toBe('Latest line test per agent');
    expect(announce).toHaveBeenCalledWith('Latest line tests: 1 of 2 agents tested, 1 poor or failed.', 'polite');
  });

  it('with the agent filter: all of that agent’s tests, newest first', async () => {
    const { fixture, root } = create('bob');
    forAgent('bob').flush({ lineTests: [lineTest({ id: 'b2', identity: 'bob', verdict: 'excellent' }), lineTest({ id: 'b1', identity: 'bob', verdict: 'good' })] });
    await settle(fixture);
    expect(rowTexts(root).map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(['Bob Brown', 'Bob Brown']);
    expect(rowTexts(root)[0]).toContain('Excellent');
    expect(root.querySelector('h2')?.textContent).toBe('Line tests of Bob Brown');
    expect(announce).toHaveBeenCalledWith('2 line tests of Bob Brown.', 'polite');
  });

  it('says what failed and loads again on retry', async () => {
    const { fixture, root } = create('bob');
    forAgent('bob').flush({ statusCode: 503, error: 'Service Unavailable', message: 'The database is not answering.' }, { status: 503, statusText: 'Service Unavailable' });
    await settle(fixture);
    const alert = root.querySelector('[data-testid=insights-line-tests-error]');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toContain('Line tests could not be loaded');
    (alert?.querySelector('button') as HTMLButtonElement).click();
    forAgent('bob').flush({ lineTests: [] });
    await settle(fixture);
    expect(root.querySelector('[data-testid=insights-line-tests-empty]')?.textContent).toContain('Bob Brown has not run a line test yet.');
  });

  it('team rows: directory order, agents without a test kept, unlisted identities after them', () => {
    const rows = teamRows(agents, [lineTest({ id: 'c', identity: 'carol' }), lineTest({ id: 'b', identity: 'bob' })]);
    expect(rows.map((row) => [row.identity, row.test?.id ?? null])).toEqual([['alice', null], ['bob', 'b'], ['carol', 'c']]);
  });

  it('words an agent without tests', () => {
    expect(lineTestRowsAnnouncement([{ identity: 'bob', test: null }], 'Bob Brown')).toBe('Bob Brown has no line test yet.');
  });
});
