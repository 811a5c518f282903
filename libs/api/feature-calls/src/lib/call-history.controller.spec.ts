import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { CallsRepository } from '@switchboard/api-data-access-db';
import type { SessionAgent } from '@switchboard/api-http-boundary';
import type { CallRecord } from '@switchboard/shared-contracts';
import { CallHistoryController, CallPageQuery } from './call-history.controller';

const transferred: CallRecord = {
  id: '1', callSid: 'CA1', direction: 'inbound', from: '+14155550100', to: '+14155550111', status: 'completed', durationSeconds: 95,
  startedAt: '2026-12-06T08:00:00.000Z', endedAt: '2026-12-06T08:01:35.000Z',
  handoffs: [
    { kind: 'transfer', byDisplay: 'Bob Brown', targetDisplay: 'Alice Smith', outcome: 'transferred', at: '2026-12-06T08:00:30.000Z' },
    { kind: 'rescue', byDisplay: 'Alice Smith', outcome: 'rejoined', at: '2026-12-06T08:01:00.000Z' },
  ],
  dispositions: [],
  ringOutcomes: [],
  quality: { band: 'fair', avgMos: 3.9, warningCount: 1 },
};

describe('CallHistoryController', () => {
  const asked: Array<[string, number, number, string]> = [];
  const calls = {
    pageForAgent: async (identity: string, page: number, pageSize: number, qualityScope: string) => {
      asked.push([identity, page, pageSize, qualityScope]);
      return { items: [transferred], total: 21 };
    },
  } as unknown as CallsRepository;
  const controller = new CallHistoryController(calls);
  const pipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
  const query = (value: Record<string, string>) => pipe.transform(value, { type: 'query', metatype: CallPageQuery }) as Promise<CallPageQuery>;

  beforeEach(() => { asked.length = 0; });

  it('answers the signed-in agent\'s page of calls, each with its handoffs as the repository read them', async () => {
    const page = await controller.list({ identity: 'alice', role: 'agent' } as SessionAgent, await query({ page: '2', pageSize: '20' }));
    expect(asked).toEqual([['alice', 2, 20, 'own']]);
    expect(page).toEqual({ items: [transferred], total: 21, page: 2, pageSize: 20 });
  });

  it("asks for each call's worst leg's quality badge when the viewer is a supervisor", async () => {
    await controller.list({ identity: 'sam', role: 'supervisor' } as SessionAgent, await query({}));
    expect(asked).toEqual([['sam', 1, 20, 'worst']]);
  });

  it('pages 20 at a time from the first page by default, and refuses a page size over 100 or a page below 1', async () => {
    expect(await query({})).toMatchObject({ page: 1, pageSize: 20 });
    await expect(query({ pageSize: '101' })).rejects.toBeInstanceOf(BadRequestException);
    await expect(query({ page: '0' })).rejects.toBeInstanceOf(BadRequestException);
    await expect(query({ page: 'two' })).rejects.toBeInstanceOf(BadRequestException);
  });
});
