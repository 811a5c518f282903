import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { PresenceReport } from '@switchboard/shared-contracts';
import { MemoryPresenceStore } from './memory-presence-store';
import type { PresenceStore } from './presence-store';
import { RedisPresenceStore } from './redis-presence-store';

/**
 * The store's rules, the same for both kinds: in memory, and on the machine's Redis (TEST_REDIS_URL,
 * default 127.0.0.1:6379; not skipped without it: it fails, saying it could not connect).
 */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TIMEOUT_S = 15;
const t0 = new Date('2026-12-06T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();
const live = (tabId: string, extra: Partial<PresenceReport> = {}): PresenceReport => ({ tabId, device: 'registered', lifecycle: 'active', ...extra });

interface Kind {
  readonly name: string;
  open(prefix: string): Promise<PresenceStore>;
}

const opened: PresenceStore[] = [];
const prefixes: string[] = [];

const KINDS: Kind[] = [
  { name: 'memory', open: async () => new MemoryPresenceStore(TIMEOUT_S * 1000) },
  {
    name: 'redis',
    open: async (prefix) => {
      const store = new RedisPresenceStore({ url: REDIS_URL, keyPrefix: prefix, timeoutMs: TIMEOUT_S * 1000 });
      opened.push(store);
      await store.whenReady();
      return store;
    },
  },
];

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  const raw = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
  }
  await raw.quit();
});

describe.each(KINDS)('PresenceStore ($name)', (kind) => {
  let store: PresenceStore;
  let prefix: string;

  beforeEach(async () => {
    prefix = `switchboard-test-${randomBytes(4).toString('hex')}:`;
    prefixes.push(prefix);
    store = await kind.open(prefix);
  });

  it('makes a registered, visible tab reachable, once: the same report again changes nothing and keeps since', async () => {
    expect(await store.report('alice', live('tab-one'), at(0))).toEqual({
      current: { identity: 'alice', reachable: true, reason: null, since: iso(0) }, changed: true,
    });
    expect(await store.report('alice', live('tab-one', { lifecycle: 'hidden' }), at(5))).toEqual({
      current: { identity: 'alice', reachable: true, reason: null, since: iso(0) }, changed: false,
    });
  });

  it('says why a single tab cannot ring: unregistered, frozen, closed', async () => {
    expect((await store.report('bob', live('tab-b', { device: 'registering' }), at(0))).current)
      .toEqual({ identity: 'bob', reachable: false, reason: 'device-unregistered', since: iso(0) });
    expect((await store.report('bob', live('tab-b', { device: 'registered', lifecycle: 'frozen' }), at(1))).current.reason).toBe('tab-frozen');
    const closed = await store.report('bob', live('tab-b', { lifecycle: 'terminated' }), at(2));
    expect(closed).toEqual({ current: { identity: 'bob', reachable: false, reason: 'tab-closed', since: iso(2) }, changed: true });
  });

  it('answers signed-out for an agent no tab has reported for', async () => {
    const seen = await store.reachabilityOf(['nobody', 'nobody'], at(0));
    expect([...seen.values()]).toEqual([{ identity: 'nobody', reachable: false, reason: 'signed-out', since: iso(0) }]);
  });

  it('lets a report expire after PRESENCE_TIMEOUT_SECONDS, and the sweep answers the change once', async () => {
    await store.report('carol', live('tab-c'), at(0));
    expect((await store.reachabilityOf(['carol'], at(TIMEOUT_S - 1))).get('carol')?.reachable).toBe(true);
    expect(await store.sweep(at(TIMEOUT_S - 1))).toEqual([]);
    expect((await store.reachabilityOf(['carol'], at(TIMEOUT_S))).get('carol')?.reason).toBe('heartbeat-missed');

    expect(await store.sweep(at(TIMEOUT_S))).toEqual([{ identity: 'carol', reachable: false, reason: 'heartbeat-missed', since: iso(TIMEOUT_S) }]);
    expect(await store.sweep(at(TIMEOUT_S + 1))).toEqual([]);
    // The next report brings her back, and says so.
    expect(await store.report('carol', live('tab-c'), at(TIMEOUT_S + 3))).toEqual({
      current: { identity: 'carol', reachable: true, reason: null, since: iso(TIMEOUT_S + 3) }, changed: true,
    });
  });

  it('moves the deadline with each heartbeat', async () => {
    await store.report('dan', live('tab-d'), at(0));
    await store.report('dan', live('tab-d'), at(10));
    expect(await store.sweep(at(TIMEOUT_S))).toEqual([]);
    expect((await store.sweep(at(10 + TIMEOUT_S))).map((r) => r.reason)).toEqual(['heartbeat-missed']);
  });

  it('keeps a frozen or closed tab its reason once it goes silent (no sweep change)', async () => {
    await store.report('erin', live('tab-e', { lifecycle: 'frozen' }), at(0));
    expect(await store.sweep(at(TIMEOUT_S * 2))).toEqual([]);
    expect((await store.reachabilityOf(['erin'], at(TIMEOUT_S * 2))).get('erin')).toEqual({
      identity: 'erin', reachable: false, reason: 'tab-frozen', since: iso(0),
    });
  });

  it('with several tabs: reachable while one can ring, else the reason of the tab furthest through the checks', async () => {
    await store.report('fay', live('closed-tab', { lifecycle: 'terminated' }), at(0));
    await store.report('fay', live('frozen-tab', { lifecycle: 'frozen' }), at(1));
    expect((await store.reachabilityOf(['fay'], at(1))).get('fay')?.reason).toBe('tab-frozen');
    await store.report('fay', live('open-tab', { device: 'unregistered' }), at(2));
    expect((await store.reachabilityOf(['fay'], at(2))).get('fay')?.reason).toBe('device-unregistered');
    expect((await store.report('fay', live('second-open-tab'), at(3))).current.reachable).toBe(true);
    // The closed one does not hide the open one: still reachable after another tab closes.
    expect((await store.report('fay', live('open-tab', { lifecycle: 'terminated' }), at(4))).changed).toBe(false);
    // The unregistered tab went silent: its staleness outranks nothing left but the frozen and closed tabs.
    const expired = await store.sweep(at(3 + TIMEOUT_S));
    expect(expired).toEqual([{ identity: 'fay', reachable: false, reason: 'heartbeat-missed', since: iso(3 + TIMEOUT_S) }]);
  });

  it('answers the call quality of the freshest live tab on a call', async () => {
    const call = { callSid: 'CA0001', mos: 4.2, warnings: ['high-jitter'] };
    await store.report('gus', live('tab-g', { call }), at(0));
    await store.report('hal', live('tab-h'), at(0));
    const quality = await store.callQualityOf(['gus', 'hal', 'nobody'], at(1));
    expect([...quality]).toEqual([['gus', call]]);
    expect((await store.callQualityOf(['gus'], at(TIMEOUT_S))).size).toBe(0);
  });

  it('signs out: every tab forgotten, signed-out announced once', async () => {
    await store.report('ivy', live('tab-i1'), at(0));
    await store.report('ivy', live('tab-i2'), at(1));
    expect(await store.signOut('ivy', at(2))).toEqual({ identity: 'ivy', reachable: false, reason: 'signed-out', since: iso(2) });
    expect(await store.signOut('ivy', at(3))).toBeNull();
    expect(await store.signOut('never-seen', at(3))).toBeNull();
    expect(await store.sweep(at(TIMEOUT_S * 2))).toEqual([]);
  });
});

describe('RedisPresenceStore: two instances on one Redis', () => {
  let a: RedisPresenceStore;
  let b: RedisPresenceStore;

  beforeAll(async () => {
    const prefix = `switchboard-test-${randomBytes(4).toString('hex')}:`;
    prefixes.push(prefix);
    [a, b] = (await Promise.all([KINDS[1].open(prefix), KINDS[1].open(prefix)])) as RedisPresenceStore[];
  });

  it('sees what the other stored', async () => {
    await a.report('shared', live('tab-s'), at(0));
    expect((await b.reachabilityOf(['shared'], at(1))).get('shared')).toEqual({ identity: 'shared', reachable: true, reason: null, since: iso(0) });
  });

  it('answers each expiry to exactly one of two instances sweeping at once', async () => {
    const agents = Array.from({ length: 30 }, (_, n) => `sweep-${n}`);
    await Promise.all(agents.map((identity, n) => (n % 2 === 0 ? a : b).report(identity, live(`tab-${n}`), at(100))));
    const rounds = await Promise.all([a.sweep(at(100 + TIMEOUT_S)), b.sweep(at(100 + TIMEOUT_S)), a.sweep(at(100 + TIMEOUT_S)), b.sweep(at(100 + TIMEOUT_S))]);
    const swept = rounds.flat().map((change) => change.identity).sort();
    // 'shared', of the test before, expired by then too: once as well.
    expect(swept).toEqual(['shared', ...agents].sort());
    expect(rounds.flat().every((change) => change.reason === 'heartbeat-missed')).toBe(true);
  });

  it('answers a change to exactly one of two instances reporting for one agent at once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? a : b).report('racer', live(`tab-r${n}`), at(200))));
    expect(outcomes.filter((outcome) => outcome.changed)).toHaveLength(1);
    expect(outcomes.every((outcome) => outcome.current.reachable)).toBe(true);
  });
});
