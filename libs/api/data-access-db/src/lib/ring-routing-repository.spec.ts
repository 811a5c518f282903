import { CallStartWriter, type CallStart } from './call-start-writer';
import { Database } from './database';
import { AgentsRepository, CallsRepository, RingOutcomesRepository, RoutingRepository } from './repositories';
import { SPEC_ENGINES, specDatabase } from './testing/spec-database';

describe.each(SPEC_ENGINES)('ring routing: RingOutcomesRepository and ring group strategies (%s)', (engine) => {
  let database: Database;
  let outcomes: RingOutcomesRepository;
  let routing: RoutingRepository;
  let n = 0;
  const sid = () => `CA${(++n).toString(16).padStart(32, '0')}`;
  const t0 = new Date('2026-12-06T08:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  specDatabase(engine, async (opened) => {
    database = opened;
    outcomes = new RingOutcomesRepository(database);
    routing = new RoutingRepository(database);
    const agents = new AgentsRepository(database);
    for (const [identity, displayName] of [['alice', 'Alice Agent'], ['bob', 'Bob Agent']]) {
      await agents.insert({ identity, displayName, role: 'agent', passwordHash: 'x', enabled: true });
    }
  });

  it('stores one outcome per agent and call, named from the directory, by when it was decided', async () => {
    const call = sid();
    expect(await outcomes.record(call, [{ identity: 'bob', outcome: 'away' }, { identity: 'carol', outcome: 'unreachable' }], at(0)))
      .toEqual(expect.arrayContaining([{ identity: 'bob', outcome: 'away' }, { identity: 'carol', outcome: 'unreachable' }]));
    await outcomes.record(call, [{ identity: 'alice', outcome: 'no-answer' }], at(5));
    expect(await outcomes.forCall(call)).toEqual([
      { identity: 'bob', displayName: 'Bob Agent', outcome: 'away', at: at(0).toISOString() },
      // An agent no longer in the directory is shown by identity.
      { identity: 'carol', displayName: 'carol', outcome: 'unreachable', at: at(0).toISOString() },
      { identity: 'alice', displayName: 'Alice Agent', outcome: 'no-answer', at: at(5).toISOString() },
    ]);
    expect(await outcomes.forCall(sid())).toEqual([]);
  });

  it('only moves to a stronger outcome: answered > declined / no-answer > a reason not to ring; a replay changes nothing', async () => {
    const call = sid();
    await outcomes.record(call, [{ identity: 'alice', outcome: 'away' }], at(0));
    expect(await outcomes.record(call, [{ identity: 'alice', outcome: 'no-answer' }], at(10))).toEqual([{ identity: 'alice', outcome: 'no-answer' }]);
    expect(await outcomes.record(call, [{ identity: 'alice', outcome: 'declined' }], at(11))).toEqual([]);
    expect(await outcomes.record(call, [{ identity: 'alice', outcome: 'unreachable' }], at(12))).toEqual([]);
    expect(await outcomes.record(call, [{ identity: 'alice', outcome: 'answered' }], at(20))).toEqual([{ identity: 'alice', outcome: 'answered' }]);
    expect(await outcomes.record(call, [{ identity: 'alice', outcome: 'no-answer' }], at(30))).toEqual([]);
    expect(await outcomes.record(call, [{ identity: 'alice', outcome: 'answered' }], at(40))).toEqual([]);
    expect(await outcomes.forCall(call)).toEqual([{ identity: 'alice', displayName: 'Alice Agent', outcome: 'answered', at: at(20).toISOString() }]);
  });

  it('two instances recording the same outcome at once store it once', async () => {
    const call = sid();
    const written = await Promise.all([1, 2, 3].map(() => outcomes.record(call, [{ identity: 'bob', outcome: 'declined' }], at(1))));
    expect(written.flat()).toHaveLength(1);
    expect(await outcomes.forCall(call)).toHaveLength(1);
  });

  it('history shows the outcomes of inbound calls only', async () => {
    const starts = new CallStartWriter(database);
    const calls = new CallsRepository(database);
    const start = (overrides: Partial<CallStart>): CallStart => ({
      callSid: sid(), direction: 'inbound', from: '+14155550100', to: '+14155550111', participants: ['bob'], voicemailTarget: 'group:history',
      status: 'ringing', at: t0, ...overrides,
    });
    const inbound = start({ at: at(100) });
    const outbound = start({ direction: 'outbound', from: 'client:bob', to: '+14155550199', voicemailTarget: null, at: at(200) });
    await starts.record(inbound);
    await starts.record(outbound);
    await starts.whenIdle();
    await outcomes.record(inbound.callSid, [{ identity: 'bob', outcome: 'declined' }], at(101));
    await outcomes.record(outbound.callSid, [{ identity: 'bob', outcome: 'answered' }], at(201)); // never written for one: not shown if it were
    const page = await calls.pageForAgent('bob', 1, 10);
    const bySid = new Map(page.items.map((item) => [item.callSid, item.ringOutcomes]));
    expect(bySid.get(inbound.callSid)).toEqual([{ identity: 'bob', displayName: 'Bob Agent', outcome: 'declined', at: at(101).toISOString() }]);
    expect(bySid.get(outbound.callSid)).toEqual([]);
  });

  it('a group rings all unless its strategy is set; an agent route is a ring-all of one; the strategy is listed', async () => {
    await routing.addGroupMember('sales', 'alice');
    await routing.addGroupMember('sales', 'bob');
    expect(await routing.strategyOf({ kind: 'group', name: 'sales' })).toBe('ring-all');
    await routing.setGroupStrategy('sales', 'longest-idle');
    expect(await routing.strategyOf({ kind: 'group', name: 'sales' })).toBe('longest-idle');
    expect(await routing.strategyOf({ kind: 'agent', name: 'alice' })).toBe('ring-all');
    await routing.addGroupMember('billing', 'bob');
    expect(await routing.listGroups()).toEqual(expect.arrayContaining([
      { name: 'sales', members: ['alice', 'bob'], strategy: 'longest-idle' },
      { name: 'billing', members: ['bob'], strategy: 'ring-all' },
    ]));
    await routing.setGroupStrategy('sales', 'ring-all');
    expect(await routing.strategyOf({ kind: 'group', name: 'sales' })).toBe('ring-all');
  });
});
