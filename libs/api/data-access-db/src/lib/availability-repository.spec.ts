import { sql } from 'drizzle-orm';
import { Database, rowsOf } from './database';
import { AvailabilityRepository, type AvailabilityChangeRequest } from './repositories';
import { SPEC_ENGINES, specDatabase } from './testing/spec-database';

describe.each(SPEC_ENGINES)('AvailabilityRepository (%s)', (engine) => {
  let database: Database;
  let repository: AvailabilityRepository;
  const t0 = new Date('2026-12-06T08:00:00Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  const ALL = ['available', 'on-call', 'wrap-up', 'away', 'offline'] as const;
  const change = (overrides: Partial<AvailabilityChangeRequest> & Pick<AvailabilityChangeRequest, 'identity' | 'to'>): AvailabilityChangeRequest => ({
    reason: null, callSid: null, wrapUpEndsAt: null, fromStates: ALL, by: { kind: 'self' }, at: later(1), ...overrides,
  });

  specDatabase(engine, (opened) => {
    database = opened;
    repository = new AvailabilityRepository(database);
  });

  it('starts an agent offline, once, and keeps that first row', async () => {
    expect(await repository.current('alice', t0)).toEqual({
      identity: 'alice', state: 'offline', reason: null, since: t0, callSid: null, wrapUpEndsAt: null,
    });
    expect((await repository.current('alice', later(30))).since).toEqual(t0);
    expect(await repository.change(change({ identity: 'nobody', to: 'available' }))).toBeUndefined();
  });

  it('changes state only from the expected states, and writes each change to history with who made it', async () => {
    await repository.current('bob', t0);
    const away = await repository.change(change({ identity: 'bob', to: 'away', reason: 'break', fromStates: ['offline', 'available'] }));
    expect(away).toEqual({
      previous: expect.objectContaining({ state: 'offline', since: t0 }),
      current: { identity: 'bob', state: 'away', reason: 'break', since: later(1), callSid: null, wrapUpEndsAt: null },
      by: { kind: 'self' },
    });
    // A stale expectation (another change came first) changes nothing and writes no history.
    expect(await repository.change(change({ identity: 'bob', to: 'available', fromStates: ['offline'] }))).toBeUndefined();
    await repository.change(change({ identity: 'bob', to: 'available', fromStates: ['away'], by: { kind: 'supervisor', identity: 'sam' }, at: later(2) }));

    expect(await repository.history('bob', 10)).toEqual([
      { identity: 'bob', from: 'away', to: 'available', reason: null, by: { kind: 'supervisor', identity: 'sam' }, at: later(2) },
      { identity: 'bob', from: 'offline', to: 'away', reason: 'break', by: { kind: 'self' }, at: later(1) },
    ]);
    expect(await repository.history('bob', 1)).toHaveLength(1);
  });

  it('refuses rows the schema forbids (away without a reason, on a call without a call)', async () => {
    await repository.current('carol', t0);
    await expect(repository.change(change({ identity: 'carol', to: 'away' }))).rejects.toThrow();
    await expect(repository.change(change({ identity: 'carol', to: 'on-call' }))).rejects.toThrow();
    expect((await repository.current('carol', t0)).state).toBe('offline');
    expect(await repository.history('carol', 10)).toEqual([]);
  });

  it('moves a call through on-call and wrap-up, matching the call, and stores the disposition with it', async () => {
    await repository.current('dave', t0);
    await repository.change(change({ identity: 'dave', to: 'on-call', callSid: 'CA1', fromStates: ['offline'], by: { kind: 'system' } }));
    // The end of another call does not end this one.
    expect(await repository.change(change({ identity: 'dave', to: 'wrap-up', callSid: 'CA2', fromStates: ['on-call'], fromCallSid: 'CA2' }))).toBeUndefined();
    const wrap = await repository.change(change({
      identity: 'dave', to: 'wrap-up', callSid: 'CA1', wrapUpEndsAt: later(61), fromStates: ['on-call'], fromCallSid: 'CA1', by: { kind: 'system' },
    }));
    expect(wrap?.current).toMatchObject({ state: 'wrap-up', callSid: 'CA1', wrapUpEndsAt: later(61) });

    const ended = await repository.change(change({
      identity: 'dave', to: 'available', fromStates: ['wrap-up'], fromCallSid: 'CA1', at: later(5), disposition: { code: 'resolved', note: 'Reset the PIN' },
    }));
    expect(ended?.previous).toMatchObject({ state: 'wrap-up', callSid: 'CA1' });
    expect(ended?.current).toMatchObject({ state: 'available', callSid: null, wrapUpEndsAt: null });
    expect(await repository.findDisposition('CA1', 'dave')).toEqual({
      callSid: 'CA1', identity: 'dave', code: 'resolved', note: 'Reset the PIN', recordedAt: later(5),
    });
    // No change, no disposition: a late one for a wrap-up that already ended is not stored.
    expect(await repository.change(change({
      identity: 'dave', to: 'available', fromStates: ['wrap-up'], fromCallSid: 'CA1', disposition: { code: 'escalated', note: null },
    }))).toBeUndefined();
    expect((await repository.findDisposition('CA1', 'dave'))?.code).toBe('resolved');
  });

  it('ends each due wrap-up once, by the system, however many callers claim at the same time', async () => {
    for (const [identity, endsAt] of [['erin', later(10)], ['frank', later(20)], ['gina', later(100)]] as const) {
      await repository.current(identity, t0);
      await repository.change(change({ identity, to: 'wrap-up', callSid: `CA-${identity}`, wrapUpEndsAt: endsAt, by: { kind: 'system' } }));
    }
    const claims = await Promise.all([1, 2, 3, 4].map(() => repository.endDueWrapUps(later(30), 10)));
    const ended = claims.flat();
    expect(ended.map((t) => t.current.identity).sort()).toEqual(['erin', 'frank']);
    expect(ended[0]).toMatchObject({ by: { kind: 'system' }, previous: { state: 'wrap-up' }, current: { state: 'available', since: later(30) } });
    expect(await repository.endDueWrapUps(later(30), 10)).toEqual([]);
    expect((await repository.current('gina', t0)).state).toBe('wrap-up');
    const [row] = rowsOf(await database.db.execute(sql`
      SELECT count(*)::int AS n FROM availability_changes WHERE identity IN ('erin', 'frank') AND by_kind = 'system' AND to_state = 'available'`)) as Array<{ n: number }>;
    expect(row.n).toBe(2);
  });

  it('lets exactly one of two racing changes from the same state win', async () => {
    await repository.current('hank', t0);
    const results = await Promise.all([
      repository.change(change({ identity: 'hank', to: 'available', fromStates: ['offline'] })),
      repository.change(change({ identity: 'hank', to: 'away', reason: 'lunch', fromStates: ['offline'] })),
    ]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await repository.history('hank', 10)).toHaveLength(1);
  });

  it('lists every agent with a state', async () => {
    expect((await repository.list()).map((r) => r.identity)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'hank']);
  });

  it('reads several agents at once, starting the unseen ones offline and keeping the rows of the others', async () => {
    await repository.current('many-a', t0);
    await repository.change(change({ identity: 'many-a', to: 'available', at: later(5) }));
    const states = await repository.currentMany(['many-a', 'many-b', 'many-a'], later(9));
    expect([...states.keys()].sort()).toEqual(['many-a', 'many-b']);
    expect(states.get('many-a')).toEqual(expect.objectContaining({ state: 'available', since: later(5) }));
    expect(states.get('many-b')).toEqual({ identity: 'many-b', state: 'offline', reason: null, since: later(9), callSid: null, wrapUpEndsAt: null });
    expect(await repository.currentMany([], later(9))).toEqual(new Map());
  });
});
