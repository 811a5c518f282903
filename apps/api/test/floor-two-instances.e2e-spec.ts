import { randomBytes } from 'node:crypto';
import { EVENT_BUS, LIVE_INSTANCE_ID, RedisEventBus } from '@switchboard/api-data-access-live-events';
import {
  API_ROUTES, type AgentAvailability, type AgentReachability, type AvailabilityResponse, type FloorSnapshot, type LiveEvent, type PresenceReport,
} from '@switchboard/shared-contracts';
import { createTestDatabase, startApiProcess, type ApiProcess, type TestDatabase } from './process-faults/api-process';
import { ReconnectingEventStream, type ReceivedEvent } from './support/reconnecting-event-stream';
import { startRoundRobinProxy, type RoundRobinProxy } from './support/round-robin-proxy';
import { requirePostgresAndRedis, SHARED_SERVICES, startInstance, type Instance } from './support/two-instances';

/**
 * Issue 13, item 5: two API instances on one Postgres and one Redis behind a round-robin proxy. Instance A
 * is the real entry point in a child process (so it can be SIGKILLed), B runs in this process. Alice's
 * softphone reaches the API only through the proxy; sam the supervisor watches from B. Alice goes Away on A
 * and sam sees it on B; A is killed; alice's stream reconnects through the proxy with its last event id,
 * lands on B, keeps reporting presence, and stays reachable; every availability event reaches sam once.
 * Needs the machine's Postgres (5432) and Redis (6379): without them it fails and says how to run it.
 */
const SPEC = 'apps/api/test/floor-two-instances.e2e-spec.ts';
/** The least the API accepts; presence reports every 2 s below keep well inside it. */
const PRESENCE_TIMEOUT_SECONDS = 6;
const PRESENCE_EVERY_MS = 2_000;

type Availability = LiveEvent<'agent.availability'>;
const isAvailabilityOf = (identity: string) => (r: ReceivedEvent) =>
  r.event.type === 'agent.availability' && (r.event as Availability).data.availability.identity === identity;

describe('the team floor on two API instances behind a round-robin proxy, one of them killed', () => {
  let database: TestDatabase;
  let a: ApiProcess;
  let b: Instance;
  let proxy: RoundRobinProxy;
  let idOfA: string;
  let idOfB: string;
  const streams: ReconnectingEventStream[] = [];
  let presenceTimer: ReturnType<typeof setInterval> | null = null;

  /** Signs in through the proxy, as the softphone does (its cookie, whichever instance answered). */
  const signIn = async (identity: string): Promise<string> => {
    const response = await fetch(`${proxy.url}${API_ROUTES.auth.login}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity, password: 'switchboard-demo' }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${b.config.sessions.cookieName}=`));
    if (!cookie) throw new Error('no session cookie');
    return cookie.split(';')[0];
  };
  const put = (baseUrl: string, path: string, cookie: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** A stream through the proxy held by `instanceId`: a new connection goes to the next upstream, so at most one per instance is opened. */
  const streamOn = async (instanceId: string, cookie: string): Promise<ReconnectingEventStream> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const stream = await ReconnectingEventStream.open(proxy.url, cookie);
      const hello = await stream.waitFor((r) => r.event.type === 'session.hello');
      if ((hello.event as LiveEvent<'session.hello'>).data.instanceId === instanceId) {
        streams.push(stream);
        return stream;
      }
      stream.close();
    }
    throw new Error(`no connection through the proxy reached instance ${instanceId}; routed: ${proxy.routed.join(', ')}`);
  };

  beforeAll(async () => {
    // Fails the suite, saying what is missing and how to start it, rather than skipping.
    await requirePostgresAndRedis(SPEC);
    database = await createTestDatabase(SHARED_SERVICES.postgres);
    // Their own channel and keys: other runs on the same Redis must not hear these events, nor these specs theirs.
    const shared = {
      REDIS_URL: SHARED_SERVICES.redis, REDIS_KEY_PREFIX: `switchboard-test-${randomBytes(4).toString('hex')}:`,
      PRESENCE_TIMEOUT_SECONDS: String(PRESENCE_TIMEOUT_SECONDS),
    };
    // One after the other: the first applies the migrations and seeds the demo agents, the second finds them done.
    a = await startApiProcess(database.url, database.dataDir, shared);
    b = await startInstance('public', { ...shared, DATABASE_URL: database.url });
    await b.app.get<RedisEventBus>(EVENT_BUS).whenReady();
    const ready = await fetch(`${a.url}${API_ROUTES.health.ready}`);
    expect([ready.status, await ready.text()]).toEqual([200, JSON.stringify({ status: 'ok', database: 'postgres' })]);
    idOfB = b.app.get<string>(LIVE_INSTANCE_ID);
    proxy = await startRoundRobinProxy([a.url, b.url]);
  }, 180_000);

  afterAll(async () => {
    if (presenceTimer) clearInterval(presenceTimer);
    streams.forEach((stream) => stream.close());
    await proxy?.close();
    await a?.stop();
    await b?.close();
    await database?.drop();
  });

  it('alice goes Away on A, sam sees it on B; A is killed, alice resumes on B and stays reachable; no event lost or repeated', async () => {
    const alice = await signIn('alice');
    const sam = await signIn('sam');

    // Which instance is A: the one whose hello is not B's.
    const probe = await ReconnectingEventStream.open(a.url, alice);
    idOfA = ((await probe.waitFor((r) => r.event.type === 'session.hello')).event as LiveEvent<'session.hello'>).data.instanceId;
    probe.close();
    expect(idOfA).not.toBe(idOfB);
    const samOnB = await streamOn(idOfB, sam);
    const aliceStream = await streamOn(idOfA, alice);

    // Presence as the softphone reports it, through the proxy (so after the kill it reaches B), if the route exists.
    const tabId = `tab_${randomBytes(6).toString('hex')}`;
    const report: PresenceReport = { tabId, device: 'registered', lifecycle: 'active' };
    const presenceAnswers: Array<{ sentAt: number; at: number; status: number; reachability: AgentReachability | null }> = [];
    const onPresenceAnswer = new Set<() => void>();
    const reportPresence = async () => {
      const sentAt = Date.now();
      const response = await put(proxy.url, API_ROUTES.presence, alice, report).catch(() => null);
      const status = response?.status ?? 0;
      presenceAnswers.push({ sentAt, at: Date.now(), status, reachability: status === 200 ? (await response?.json()) as AgentReachability : null });
      onPresenceAnswer.forEach((listener) => listener());
    };
    /** Resolves once reports sent after `since` have been answered over more than `spanMs`. */
    const presenceAnsweredFor = (since: number, spanMs: number) => new Promise<void>((resolveSpan) => {
      const check = () => {
        if (presenceAnswers.some((p) => p.at > since + spanMs)) {
          onPresenceAnswer.delete(check);
          resolveSpan();
        }
      };
      onPresenceAnswer.add(check);
      check();
    });
    await reportPresence();
    expect(presenceAnswers[0]).toMatchObject({ status: 200, reachability: { identity: 'alice', reachable: true, reason: null } });
    presenceTimer = setInterval(() => void reportPresence(), PRESENCE_EVERY_MS);
    const reachableEvent = await samOnB.waitFor((r) => r.event.type === 'agent.reachability' && (r.event as LiveEvent<'agent.reachability'>).data.identity === 'alice');
    expect((reachableEvent.event as LiveEvent<'agent.reachability'>).data).toMatchObject({ reachable: true, reason: null });

    // Every change of alice's state, as the API answered it; each must reach sam exactly once. The first is
    // the API's own: reachable while offline, she became available.
    const own = await fetch(`${proxy.url}${API_ROUTES.availability}`, { headers: { cookie: alice } });
    const changes: AgentAvailability[] = [((await own.json()) as AvailabilityResponse).availability];
    expect(changes[0]).toMatchObject({ identity: 'alice', state: 'available' });
    const change = async (baseUrl: string, path: string, cookie: string, body: unknown) => {
      const response = await put(baseUrl, path, cookie, body);
      expect(response.status).toBe(200);
      changes.push((await response.json()) as AgentAvailability);
    };

    // Away, handled by A (straight to it, as alice's browser connection to A would be): sam's stream on B hears it.
    const sent = Date.now();
    await change(a.url, API_ROUTES.availability, alice, { state: 'away', reason: 'break' });
    const seen = await samOnB.waitFor((r) => isAvailabilityOf('alice')(r) && (r.event as Availability).data.availability.state === 'away');
    const away = seen.event as Availability;
    expect(away.id.startsWith(`${idOfA}-`)).toBe(true);
    expect(away.data).toMatchObject({ availability: { identity: 'alice', state: 'away', reason: 'break' }, previous: 'available', by: { kind: 'self' } });
    console.log(`${SPEC}: alice Away on A → sam's stream on B: ${seen.receivedAt - sent} ms after the request (${seen.receivedAt - Date.parse(away.at)} ms after the event's at)`);
    // Alice's own stream has it too: that is the position she resumes from.
    await aliceStream.waitFor((r) => r.event.id === away.id);

    // A dies without a word. Sam, on B, sets alice Available while her stream is down: it waits the
    // server's retry (3 s) before reconnecting, as EventSource does, so she can only get it replayed.
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const exitedAt = Date.now();
    await change(b.url, API_ROUTES.agentAvailability('alice'), sam, { state: 'available' });
    const setWhileDown = Date.now();

    // Her stream reconnects through the proxy (A refuses, so the proxy skips it: one attempt, on B), resumed from the Away event.
    const helloOnB = await aliceStream.waitFor((r) => r.event.type === 'session.hello' && r.connection > 0);
    expect(helloOnB.receivedAt).toBeGreaterThan(setWhileDown);
    expect((helloOnB.event as LiveEvent<'session.hello'>).data).toMatchObject({ identity: 'alice', instanceId: idOfB, resumed: true });
    expect(aliceStream.connectionAttempts).toBe(2);
    const bySam = changes[changes.length - 1];
    const replayed = await aliceStream.waitFor((r) => isAvailabilityOf('alice')(r) && (r.event as Availability).data.availability.since === bySam.since);
    expect((replayed.event as Availability).data).toMatchObject({ availability: { state: 'available' }, previous: 'away', by: { kind: 'supervisor', identity: 'sam' } });
    expect(replayed.connection).toBe(1);
    console.log(`${SPEC}: alice's stream back on B ${helloOnB.receivedAt - killedAt} ms after A was killed (the API's retry: 3000 ms included)`);

    // More changes through the proxy, which now has one live upstream.
    await change(proxy.url, API_ROUTES.availability, alice, { state: 'away', reason: 'meeting' });
    await change(proxy.url, API_ROUTES.availability, alice, { state: 'available' });
    const last = changes[changes.length - 1];
    await samOnB.waitFor((r) => isAvailabilityOf('alice')(r) && (r.event as Availability).data.availability.since === last.since);
    await aliceStream.waitFor((r) => isAvailabilityOf('alice')(r) && (r.event as Availability).data.availability.since === last.since);

    // Counted by id: one event per change, in order, none twice, on sam's stream and on alice's (across her two connections).
    for (const stream of [samOnB, aliceStream]) {
      const events = stream.received.filter(isAvailabilityOf('alice')).map((r) => r.event as Availability);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(events.map((e) => [e.data.availability.state, e.data.availability.since])).toEqual(changes.map((c) => [c.state, c.since]));
    }
    expect(aliceStream.received.filter((r) => r.event.type === 'session.resync')).toEqual([]);

    // Reported to B for longer than the presence timeout after the kill, alice is still reachable there:
    // every report answered reachable, sam never told otherwise, and his board says so.
    await presenceAnsweredFor(killedAt, (PRESENCE_TIMEOUT_SECONDS + 2) * 1000);
    // A report in flight when A died may be lost with it, as the softphone's would; it reports again 2 s later.
    const settled = presenceAnswers.filter((p) => p.at < killedAt || p.sentAt > exitedAt);
    expect(settled.length).toBeGreaterThanOrEqual(presenceAnswers.length - 1);
    expect(settled.filter((p) => p.status !== 200 || p.reachability?.reachable !== true)).toEqual([]);
    const aliceReachability = samOnB.received.filter((r) => r.event.type === 'agent.reachability' && (r.event as LiveEvent<'agent.reachability'>).data.identity === 'alice');
    expect(aliceReachability.map((r) => (r.event as LiveEvent<'agent.reachability'>).data.reachable)).toEqual([true]);
    const floor = await fetch(`${proxy.url}${API_ROUTES.floor}`, { headers: { cookie: sam } });
    expect(floor.status).toBe(200);
    expect(((await floor.json()) as FloorSnapshot).agents.find((agent) => agent.identity === 'alice')).toMatchObject({
      availability: { state: 'available', since: last.since }, reachability: { reachable: true, reason: null },
    });
  });
});
