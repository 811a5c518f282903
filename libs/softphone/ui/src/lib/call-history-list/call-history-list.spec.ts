import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatTableHarness } from '@angular/material/table/testing';
import type { CallRecord } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE } from '../locale/display-locale';
import { CallHistoryList, type HistoryPageRequest } from './call-history-list';

const record: CallRecord = {
  id: '1', callSid: 'CA1', direction: 'inbound', from: '+15005550006', to: 'client:alice', status: 'no-answer',
  durationSeconds: null, startedAt: '2026-11-24T09:00:00.000Z', endedAt: null, handoffs: [], dispositions: [], ringOutcomes: [], quality: null,
};

describe('CallHistoryList', () => {
  it('shows each call with the other party and a readable result, and asks for the next page', async () => {
    const fixture = TestBed.createComponent(CallHistoryList);
    fixture.componentRef.setInput('page', { items: [record, { ...record, id: '2', callSid: 'CA2', direction: 'outbound', to: '+14155550100', status: 'completed', durationSeconds: 62 }], page: 1, pageSize: 10, total: 12 });
    const requests: HistoryPageRequest[] = [];
    fixture.componentInstance.pageRequested.subscribe((r) => requests.push(r));
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const table = await loader.getHarness(MatTableHarness);
    const rows = await table.getCellTextByColumnName();
    expect(rows['party'].text).toEqual(['+1 500 555 0006', '+1 415 555 0100']);
    expect(rows['status'].text).toEqual(['No answer', 'Completed']);
    expect(rows['duration'].text).toEqual(['–', '1:02']);
    const paginator = await loader.getHarness(MatPaginatorHarness);
    await paginator.goToNextPage();
    expect(requests).toEqual([{ page: 2, pageSize: 10 }]);
  });

  it("shows a call another agent placed to the viewer as incoming, from that agent", async () => {
    const fixture = TestBed.createComponent(CallHistoryList);
    const fromAlice: CallRecord = { ...record, direction: 'outbound', from: 'client:alice', to: 'client:bob', status: 'canceled' };
    fixture.componentRef.setInput('page', { items: [fromAlice], page: 1, pageSize: 10, total: 1 });
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const table = await loader.getHarness(MatTableHarness);
    expect((await table.getCellTextByColumnName())['party'].text).toEqual(['bob']);
    fixture.componentRef.setInput('agentIdentity', 'bob');
    const cells = await table.getCellTextByColumnName();
    expect(cells['party'].text).toEqual(['alice']);
    expect(cells['direction'].text).toEqual(['call_received']);
    expect(cells['status'].text).toEqual(['Cancelled']);
    fixture.componentRef.setInput('agentIdentity', 'alice');
    expect((await table.getCellTextByColumnName())['direction'].text).toEqual(['call_made']);
  });

  it('names agents from the directory with the identity beside, and writes numbers for reading', async () => {
    const fixture = TestBed.createComponent(CallHistoryList);
    const toBob: CallRecord = { ...record, direction: 'outbound', from: 'client:alice', to: 'client:bob', status: 'completed' };
    const toNumber: CallRecord = { ...record, id: '2', direction: 'outbound', from: 'client:alice', to: '+442079460000', status: 'completed' };
    fixture.componentRef.setInput('page', { items: [toBob, toNumber, record], page: 1, pageSize: 10, total: 3 });
    fixture.componentRef.setInput('agents', [{ identity: 'bob', displayName: 'Bob Brown' }]);
    fixture.componentRef.setInput('homeCountry', 'GB');
    const table = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatTableHarness);
    expect((await table.getCellTextByColumnName())['party'].text).toEqual(['Bob Brown (bob)', '020 7946 0000', '+1 500 555 0006']);
  });

  it('writes when a call started in the agent’s locale, not in US English', async () => {
    TestBed.configureTestingModule({ providers: [{ provide: DISPLAY_LOCALE, useValue: 'de-DE' }] });
    const fixture = TestBed.createComponent(CallHistoryList);
    fixture.componentRef.setInput('page', { items: [record], page: 1, pageSize: 10, total: 1 });
    const table = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatTableHarness);
    const [when] = (await table.getCellTextByColumnName())['startedAt'].text;
    expect(when).toContain('24.11.26');
    expect(when).not.toMatch(/AM|PM|\//);
  });

  it('lists what happened to a call under it, in words, as a list inside the call\'s own row', async () => {
    TestBed.configureTestingModule({ providers: [{ provide: DISPLAY_LOCALE, useValue: 'en-GB' }] });
    const fixture = TestBed.createComponent(CallHistoryList);
    const moved: CallRecord = {
      ...record, status: 'completed', durationSeconds: 300,
      handoffs: [
        { kind: 'transfer', byDisplay: 'Bob Brown', targetDisplay: '+442079460000', outcome: 'no-answer', at: '2026-11-24T09:01:00.000Z' },
        { kind: 'consult', byDisplay: 'Bob Brown', targetDisplay: 'Alice Smith', outcome: 'three-way', at: '2026-11-24T09:02:00.000Z' },
        { kind: 'rescue', byDisplay: 'Alice Smith', outcome: 'rejoined', at: '2026-11-24T09:03:00.000Z' },
      ],
    };
    fixture.componentRef.setInput('page', { items: [moved, { ...record, id: '2', callSid: 'CA2' }], page: 1, pageSize: 10, total: 2 });
    fixture.componentRef.setInput('homeCountry', 'GB');
    const table = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatTableHarness);
    const rows = await table.getRows();
    expect(rows).toHaveLength(2);
    const [first, second] = (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid=history-row]');
    const list = first.querySelector('[data-testid=history-handoffs]') as HTMLElement;
    expect(list.tagName).toBe('UL');
    expect(list.getAttribute('role')).toBe('list');
    expect(list.getAttribute('aria-label')).toBe('Transfers, consults and rescues');
    // What is read out: each item's text without its (hidden) icon.
    const items = [...list.querySelectorAll('li')].map((li) => (li.querySelector('span')?.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect([...list.children].every((child) => child.tagName === 'LI')).toBe(true);
    expect(items).toEqual([
      expect.stringMatching(/^Bob Brown tried to transfer to 020 7946 0000: no answer; the call came back, \d{2}:\d{2}$/),
      expect.stringMatching(/^Consult with Alice Smith by Bob Brown: three-way, \d{2}:\d{2}$/),
      expect.stringMatching(/^Alice Smith was disconnected; rejoined, \d{2}:\d{2}$/),
    ]);
    expect([...list.querySelectorAll('time')].map((t) => t.getAttribute('datetime'))).toEqual(moved.handoffs.map((h) => h.at));
    // The icons are decoration: the words say it all, to a screen reader and without colour.
    expect([...list.querySelectorAll('mat-icon')].every((icon) => icon.getAttribute('aria-hidden') === 'true')).toBe(true);
    expect(second.querySelector('[data-testid=history-handoffs]')).toBeNull();
    expect((await table.getCellTextByColumnName())['status'].text).toEqual([expect.stringMatching(/^Completed\s.*Bob Brown tried/), 'No answer']);
  });
});

describe('CallHistoryList: wrap-up and ring outcomes (issue 13)', () => {
  const at = '2026-12-06T10:00:00.000Z';

  function render(items: CallRecord[], agentIdentity = 'bob') {
    const fixture = TestBed.createComponent(CallHistoryList);
    fixture.componentRef.setInput('page', { items, page: 1, pageSize: 10, total: items.length });
    fixture.componentRef.setInput('agentIdentity', agentIdentity);
    fixture.componentRef.setInput('agents', [{ identity: 'alice', displayName: 'Alice Adams' }, { identity: 'bob', displayName: 'Bob Brown' }]);
    fixture.detectChanges();
    const texts = (testId: string) =>
      [...(fixture.nativeElement as HTMLElement).querySelectorAll(`[data-testid=${testId}] > span`)].map((el) => el.textContent?.replace(/\s+/g, ' ').trim());
    return { texts };
  }

  it('shows each disposition with its note, naming another agent\'s', () => {
    const { texts } = render([{
      ...record, status: 'completed', durationSeconds: 30,
      dispositions: [
        { identity: 'alice', code: 'transferred', label: 'Transferred', note: null, at },
        { identity: 'bob', code: 'resolved', label: 'Resolved', note: 'Refund sent', at },
      ],
    }]);
    expect(texts('history-disposition')).toEqual(['Disposition (Alice Adams): Transferred', 'Disposition: Resolved — “Refund sent”']);
  });

  it('says, for a missed inbound call, why each agent was not rung or did not answer; nothing for an answered one', () => {
    const missed: CallRecord = {
      ...record,
      ringOutcomes: [
        { identity: 'alice', displayName: 'Alice Adams', outcome: 'away', at },
        { identity: 'bob', displayName: 'Bob Brown', outcome: 'no-answer', at },
        { identity: 'carol', displayName: 'Carol', outcome: 'unreachable', at },
      ],
    };
    const answered: CallRecord = { ...missed, id: '2', callSid: 'CA2', status: 'completed', ringOutcomes: [{ identity: 'bob', displayName: 'Bob Brown', outcome: 'answered', at }] };
    const { texts } = render([missed, answered]);
    expect(texts('history-ring-outcome')).toEqual(['Alice Adams: Away', 'Bob Brown: Did not answer', 'Carol: Unreachable']);
    expect(texts('history-ring-outcome')).toHaveLength(3); // none for the answered call
  });
});

describe('CallHistoryList: quality (issue 14)', () => {
  it('shows each call’s quality badge in words, and a details button only where a record exists', () => {
    const fixture = TestBed.createComponent(CallHistoryList);
    const rated: CallRecord = { ...record, status: 'completed', quality: { band: 'fair', avgMos: 3.84, warningCount: 1 } };
    fixture.componentRef.setInput('page', { items: [rated, { ...record, id: '2', callSid: 'CA2' }], page: 1, pageSize: 10, total: 2 });
    const opened: CallRecord[] = [];
    fixture.componentInstance.qualityDetailRequested.subscribe((call) => opened.push(call));
    fixture.detectChanges();
    const rows = (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid=history-row]');
    const badgeText = (row: Element) => row.querySelector('[data-testid=quality-badge] > span')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(badgeText(rows[0])).toBe('Call quality: Fair · MOS 3.8 · 1 warning');
    expect(badgeText(rows[1])).toBe('Call quality: No quality record');
    expect(rows[1].querySelector('[data-testid=quality-detail-open]')).toBeNull();
    const open = rows[0].querySelector('[data-testid=quality-detail-open]') as HTMLButtonElement;
    expect(open.getAttribute('aria-label')).toBe('Details of call quality, +1 500 555 0006');
    open.click();
    expect(opened).toEqual([rated]);
  });
});
