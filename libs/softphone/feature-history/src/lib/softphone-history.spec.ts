import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatTableHarness } from '@angular/material/table/testing';
import { MatTabGroupHarness } from '@angular/material/tabs/testing';
import { API_ROUTES, type CallRecord, type Voicemail } from '@switchboard/shared-contracts';
import { CallsApi, VoicemailInboxStore } from '@switchboard/softphone-data-access-api';
import { DISPLAY_LOCALE } from '@switchboard/softphone-ui';
import { SoftphoneHistory } from './softphone-history';

const call = (id: string): CallRecord => ({
  id, callSid: 'CA' + id, direction: 'inbound', from: '+15005550006', to: 'client:alice', status: 'completed',
  durationSeconds: 30, startedAt: '2026-11-24T09:00:00.000Z', endedAt: '2026-11-24T09:00:30.000Z', handoffs: [], dispositions: [], ringOutcomes: [], quality: null,
});
const voicemail: Voicemail = {
  id: 'vm1', recordingSid: 'RE1', callSid: 'CA9', from: '+15005550006', calledTarget: 'alice', durationSeconds: 9, heard: false,
  receivedAt: '2026-11-24T09:00:00.000Z',
};

describe('SoftphoneHistory', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), { provide: DISPLAY_LOCALE, useValue: 'en-GB' }] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  /** The directory every screen that names colleagues reads. */
  const flushDirectory = () => http.expectOne(API_ROUTES.agents).flush([{ identity: 'alice', displayName: 'Alice Adams' }, { identity: 'bob', displayName: 'Bob Brown' }]);

  it('loads the first page of calls and the voicemail, then pages on request', async () => {
    const list = jest.spyOn(TestBed.inject(CallsApi), 'list');
    const fixture = TestBed.createComponent(SoftphoneHistory);
    http.expectOne((r) => r.url === API_ROUTES.calls.list && r.params.get('page') === '1').flush({ items: [call('1')], page: 1, pageSize: 10, total: 11 });
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    flushDirectory();
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid=history-row]').length).toBe(1);
    await (await TestbedHarnessEnvironment.loader(fixture).getHarness(MatPaginatorHarness)).goToNextPage();
    expect(list).toHaveBeenLastCalledWith({ page: 2, pageSize: 10 });
    http.expectOne((r) => r.url === API_ROUTES.calls.list && r.params.get('page') === '2').flush({ items: [call('11')], page: 2, pageSize: 10, total: 11 });
  });

  it('shows a transferred call once, with its transfer in words under it', async () => {
    const fixture = TestBed.createComponent(SoftphoneHistory);
    const transferred: CallRecord = {
      ...call('1'), handoffs: [{ kind: 'transfer', byDisplay: 'Bob Brown', targetDisplay: 'Alice Adams', outcome: 'transferred', at: '2026-11-24T09:00:10.000Z' }],
    };
    http.expectOne((r) => r.url === API_ROUTES.calls.list).flush({ items: [transferred], page: 1, pageSize: 10, total: 1 });
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    flushDirectory();
    await fixture.whenStable();
    const rows = (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid=history-row]');
    expect(rows.length).toBe(1);
    const items = [...rows[0].querySelectorAll('[data-testid=history-handoff] span')].map((s) => (s.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(items).toEqual([expect.stringMatching(/^Transferred to Alice Adams by Bob Brown, \d{2}:\d{2}$/)]);
  });

  it('shows an error from the calls API instead of an empty table', async () => {
    const fixture = TestBed.createComponent(SoftphoneHistory);
    http.expectOne((r) => r.url === API_ROUTES.calls.list).flush({ items: [], page: 1, pageSize: 10, total: 0 });
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    flushDirectory();
    // Drive the page request the paginator would make, and await it.
    const container = fixture.componentInstance as unknown as { loadCalls(r: { page: number; pageSize: number }): Promise<void> };
    const loading = container.loadCalls({ page: 2, pageSize: 10 });
    http.expectOne((r) => r.url === API_ROUTES.calls.list).flush(
      { statusCode: 500, error: 'Internal Server Error', message: 'History is unavailable.' },
      { status: 500, statusText: 'Server Error' },
    );
    await loading;
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid=history-error]')?.textContent).toContain('History is unavailable.');
  });

  it('marks a voicemail heard and updates the unheard count', async () => {
    const fixture = TestBed.createComponent(SoftphoneHistory);
    http.expectOne((r) => r.url === API_ROUTES.calls.list).flush({ items: [], page: 1, pageSize: 10, total: 0 });
    const inbox = TestBed.inject(VoicemailInboxStore);
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [voicemail], unheard: 1 });
    flushDirectory();
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const markHeard = jest.spyOn(inbox, 'markHeard');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=voicemail-mark-heard]' }))).click();
    expect(markHeard).toHaveBeenCalledWith('vm1');
    http.expectOne(API_ROUTES.voicemails.one('vm1')).flush({ ...voicemail, heard: true });
    await markHeard.mock.results[0].value;
    expect(inbox.unheard()).toBe(0);
  });

  it('opens on Voicemail when a message is new, and stays there once the last one is heard', async () => {
    const fixture = TestBed.createComponent(SoftphoneHistory);
    http.expectOne((r) => r.url === API_ROUTES.calls.list).flush({ items: [], page: 1, pageSize: 10, total: 0 });
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [voicemail], unheard: 1 });
    flushDirectory();
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const tabs = await loader.getHarness(MatTabGroupHarness);
    expect(await (await tabs.getSelectedTab()).getLabel()).toBe('Voicemail (1 new)');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=voicemail-mark-heard]' }))).click();
    http.expectOne(API_ROUTES.voicemails.one('vm1')).flush({ ...voicemail, heard: true });
    await fixture.whenStable();
    expect(await (await tabs.getSelectedTab()).getLabel()).toBe('Voicemail');
  });

  it('names colleagues from the directory, writes numbers for reading and dates in the browser locale', async () => {
    const fixture = TestBed.createComponent(SoftphoneHistory);
    const fromBob: CallRecord = { ...call('2'), from: 'client:bob', to: 'client:alice' };
    const toLondon: CallRecord = { ...call('3'), direction: 'outbound', from: 'client:alice', to: '+442079460000' };
    http.expectOne((r) => r.url === API_ROUTES.calls.list).flush({ items: [fromBob, toLondon], page: 1, pageSize: 10, total: 2 });
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    flushDirectory();
    await fixture.whenStable();
    const table = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatTableHarness);
    const cells = await table.getCellTextByColumnName();
    expect(cells['party'].text).toEqual(['Bob Brown (bob)', '020 7946 0000']);
    expect(cells['startedAt'].text[0]).toContain('24/11/2026');
  });
});
