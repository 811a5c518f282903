import type { AgentsRepository, AvailabilityRecord, AvailabilityRepository, QueueRepository } from '@switchboard/api-data-access-db';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import type { PresenceStore } from '@switchboard/api-data-access-presence';
import type { AgentReachability, PresenceCallQuality, QueuedCall } from '@switchboard/shared-contracts';
import type { CurrentCallRow, FloorQueries } from './floor-queries';
import { FloorService, queueView } from './floor.service';

const ca = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
const now = new Date('2026-12-06T10:00:00Z');
const COUNTS = { answered: 0, missed: 0, abandoned: 0, averageWaitSeconds: null, averageHandleSeconds: null };

/** The board over fakes: alice (away), bob (on a call), sam (supervisor, never seen), dave (disabled). */
function serviceWith(presence?: Partial<PresenceStore>) {
  const firstRows: string[] = [];
  const agents = {
    listAll: async () => [
      { identity: 'alice', displayName: 'Alice Agent', role: 'agent', enabled: true },
      { identity: 'bob', displayName: 'Bob Agent', role: 'agent', enabled: true },
      { identity: 'dave', displayName: 'Dave Gone', role: 'agent', enabled: false },
      { identity: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', enabled: true },
    ],
  } as unknown as AgentsRepository;
  const record = (identity: string, state: AvailabilityRecord['state'], reason: string | null = null): AvailabilityRecord => ({
    identity, state, reason, since: new Date('2026-12-06T09:00:00Z'), callSid: null, wrapUpEndsAt: null,
  });
  const availability = {
    list: async () => [record('alice', 'away', 'break'), record('bob', 'on-call')],
    current: async (identity: string, at: Date) => (firstRows.push(identity), { ...record(identity, 'offline'), since: at }),
  } as unknown as AvailabilityRepository;
  const bobCall: CurrentCallRow = {
    identity: 'bob', agentCallSid: ca(2), customerCallSid: ca(1), conferenceSid: `CF${'1'.repeat(32)}`, direction: 'inbound', party: '+14155550150',
    since: new Date('2026-12-06T09:59:00Z'),
  };
  const queries = {
    currentCalls: async () => new Map([['bob', bobCall]]),
    todayCounts: async () => COUNTS,
  } as unknown as FloorQueries;
  const queued: QueuedCall[] = [
    { callSid: ca(5), from: '+14155550150', target: 'group:support', position: 1, enqueuedAt: '2026-12-06T09:58:30Z' },
    { callSid: ca(6), from: '+14155550151', target: 'group:support', position: 2, enqueuedAt: '2026-12-06T09:59:40Z' },
  ];
  const queue = { waiting: async () => queued } as unknown as QueueRepository;
  const config = loadAppConfig({ PUBLIC_BASE_URL: 'https://switchboard.test' });
  const service = new FloorService(agents, availability, queries, queue, config, presence as PresenceStore | undefined);
  return { service, firstRows, queued };
}

describe('FloorService', () => {
  it('shows every enabled agent with their state, reachability and call (live quality of their own leg only), the queue with its longest wait, and the counts', async () => {
    const reachable: AgentReachability = { identity: 'bob', reachable: true, reason: null, since: '2026-12-06T08:00:00.000Z' };
    const quality: PresenceCallQuality = { callSid: ca(2), mos: 4.2, warnings: ['high-jitter'] };
    const { service, firstRows, queued } = serviceWith({
      reachabilityOf: async () => new Map([['bob', reachable]]),
      callQualityOf: async () => new Map([['bob', quality]]),
    });
    const board = await service.snapshot(now);
    expect(board.agents.map((agent) => [agent.identity, agent.role, agent.availability.state])).toEqual([
      ['alice', 'agent', 'away'], ['bob', 'agent', 'on-call'], ['sam', 'supervisor', 'offline'],
    ]);
    expect(firstRows).toEqual(['sam']); // never seen: given their first (offline) row, as the availability routes would
    const [alice, bob, sam] = board.agents;
    expect(alice.availability).toEqual({ identity: 'alice', state: 'away', reason: 'break', since: '2026-12-06T09:00:00.000Z' });
    expect(alice.reachability).toEqual({ identity: 'alice', reachable: false, reason: 'signed-out', since: now.toISOString() });
    expect(bob.reachability).toEqual(reachable);
    expect(bob.call).toEqual({
      customerCallSid: ca(1), agentCallSid: ca(2), direction: 'inbound', party: '+14155550150', since: '2026-12-06T09:59:00.000Z',
      quality: { mos: 4.2, warnings: ['high-jitter'] },
    });
    expect(sam.call).toBeNull();
    expect(board).toMatchObject({ queue: queued, longestWaitSeconds: 90, counts: COUNTS, at: now.toISOString() });
  });

  it('shows no quality reported for another call, and everyone signed out when the API has no presence store', async () => {
    const stale = serviceWith({ reachabilityOf: async () => new Map(), callQualityOf: async () => new Map([['bob', { callSid: ca(9), mos: 1, warnings: [] }]]) });
    expect((await stale.service.snapshot(now)).agents[1].call?.quality).toBeNull();
    const none = await serviceWith().service.snapshot(now);
    expect(none.agents.map((agent) => agent.reachability.reason)).toEqual(['signed-out', 'signed-out', 'signed-out']);
    expect(await serviceWith().service.callOf('bob', now)).toMatchObject({ agentCallSid: ca(2), quality: null });
  });

  it('has no longest wait for an empty queue', () => {
    expect(queueView([], now)).toEqual({ queue: [], longestWaitSeconds: null });
  });
});
