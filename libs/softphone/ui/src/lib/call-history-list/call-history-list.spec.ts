import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatTableHarness } from '@angular/material/table/testing';
import type { CallRecord } from '@switchboard/shared-contracts';
import { CallHistoryList, type HistoryPageRequest } from './call-history-list';

const record: CallRecord = {
  id: '1', callSid: 'CA1', direction: 'inbound', from: '+15005550006', to: 'client:alice', status: 'no-answer',
  durationSeconds: null, startedAt: '2026-11-24T09:00:00.000Z', endedAt: null,
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
    expect(rows['party'].text).toEqual(['+15005550006', '+14155550100']);
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
    expect((await table.getCellTextByColumnName())['party'].text).toEqual(['client:bob']);
    fixture.componentRef.setInput('agentIdentity', 'bob');
    const cells = await table.getCellTextByColumnName();
    expect(cells['party'].text).toEqual(['client:alice']);
    expect(cells['direction'].text).toEqual(['call_received']);
    expect(cells['status'].text).toEqual(['Cancelled']);
    fixture.componentRef.setInput('agentIdentity', 'alice');
    expect((await table.getCellTextByColumnName())['direction'].text).toEqual(['call_made']);
  });
});
