import { API_ROUTES, WEBHOOK_ROUTES, type CallParticipantsResponse, type LiveEvent } from '@switchboard/shared-contracts';
import { EVENT_BUS, LIVE_INSTANCE_ID, RedisEventBus } from '@switchboard/api-data-access-live-events';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { callSid, postWebhook, PUBLIC_BASE_URL, signIn } from './support';
import { dropSchema, EventReader, newSchema, requirePostgresAndRedis, SHARED_SERVICES, startInstance, type Instance } from './support/two-instances';
import { IGNORE_FLOOR_EVENTS } from './support/ordered-event-reader';

/**
 * Two API instances, as behind a load balancer: one Postgres schema, one Redis (REDIS_URL). What happens
 * on one instance reaches an agent whose stream is held by the other, and a stream resumes on either.
 * Needs the machine's Postgres (5432) and Redis (6379): without them it fails and says how to run it.
 */
const ROUTE = WEBHOOK_ROUTES.conferenceStatus;
const CF = `CF${'13'.padStart(32, '0')}`;
const CUSTOMER = callSid(0x13001);
const BOB = callSid(0x13002);
const START = Date.UTC(2026, 11, 6, 11, 0, 0);

/** A conference callback as Twilio sends it (the sequence number doubles as the second it happened). */
function callback(sequence: number, event: string, call: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: SANDBOX_CREDENTIALS.accountSid, ConferenceSid: CF, FriendlyName: 'two-instances', SequenceNumber: String(sequence),
    Timestamp: new Date(START + sequence * 1000).toUTCString().replace('GMT', '+0000'), StatusCallbackEvent: event,
    ...(call ? { CallSid: call } : {}), Muted: 'false', Coaching: 'false', EndConferenceOnExit: 'false', ...extra,
  };
}

describe('two API instances on one Postgres and one Redis', () => {
  const schema = newSchema();
  let a: Instance;
  let b: Instance;
  let bobCookie: string;
  const readers: EventReader[] = [];

  const send = async (api: Instance, params: Record<string, string>) => {
    expect((await postWebhook(api, ROUTE, params)).status).toBe(204);
  };
  const open = async (api: Instance, lastEventId?: string) => {
    const reader = await EventReader.open(api, bobCookie, { lastEventId, ignore: IGNORE_FLOOR_EVENTS });
    readers.push(reader);
    return reader;
  };
  const participantsOn = async (api: Instance) => {
    const response = await fetch(`${api.url}${API_ROUTES.calls.participants(BOB)}`, { headers: { cookie: bobCookie, origin: PUBLIC_BASE_URL } });
    expect(response.status).toBe(200);
    return (await response.json()) as CallParticipantsResponse;
  };

  beforeAll(async () => {
    // Fails the suite, saying what is missing and how to start it, rather than skipping.
    await requirePostgresAndRedis('apps/api/test/two-instances.e2e-spec.ts');
    // Its own channel: other runs on the same Redis must not hear these events, nor these specs theirs.
    const env = { REDIS_URL: SHARED_SERVICES.redis, REDIS_KEY_PREFIX: `switchboard-test-${randomBytes(4).toString('hex')}:` };
    a = await startInstance(schema, env);
    b = await startInstance(schema, env);
    await Promise.all([a, b].map((api) => api.app.get<RedisEventBus>(EVENT_BUS).whenReady()));
    // Signed in on A, used on B: sessions live in the shared database.
    bobCookie = await signIn(a, 'bob');
    await a.database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${CUSTOMER}, 'inbound', '+14155550123', '+14155550199', 'in-progress', 3, now())`);
  }, 180_000);

  afterAll(async () => {
    readers.forEach((reader) => reader.close());
    await a?.close();
    await b?.close();
    // Not when the servers were missing: the failure above says all there is to say.
    if (a) await dropSchema(schema);
  });

  it('both instances are ready, each with its own instance id and the Redis bus', async () => {
    for (const api of [a, b]) {
      expect(api.app.get(EVENT_BUS)).toBeInstanceOf(RedisEventBus);
      const ready = await fetch(`${api.url}${API_ROUTES.health.ready}`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', database: 'postgres' }]);
    }
    expect(a.app.get(LIVE_INSTANCE_ID)).not.toBe(b.app.get(LIVE_INSTANCE_ID));
  });

  it("a conference callback handled by A reaches bob's stream on B, and bob resumes on A from it", async () => {
    const onB = await open(b);
    const hello = (await onB.next()) as LiveEvent<'session.hello'>;
    expect(hello.type).toBe('session.hello');
    expect(hello.data).toMatchObject({ identity: 'bob', instanceId: b.app.get(LIVE_INSTANCE_ID), resumed: false });

    await send(a, callback(1, 'conference-start', null));
    await send(a, callback(2, 'participant-join', CUSTOMER, { ParticipantLabel: 'customer', Hold: 'false' }));
    await send(a, callback(3, 'participant-join', BOB, { ParticipantLabel: 'client:bob', Hold: 'false' }));
    const joined = await onB.nextWithId();
    expect(joined.event.type).toBe('call.participants');
    // Made on A (its instance id starts the event id), delivered by B.
    expect(joined.event.id.startsWith(`${a.app.get(LIVE_INSTANCE_ID)}-`)).toBe(true);
    expect(joined.id).toBe(joined.event.id);
    expect(joined.event.data).toEqual(await participantsOn(b));
    expect((joined.event as LiveEvent<'call.participants'>).data.participants.map((p) => p.participantId)).toEqual([CUSTOMER, BOB]);

    // Bob's connection drops; while he is away, B handles the hold. He comes back through A. A second
    // tab of his on A witnesses the hold arriving there, so the resume below is served from A's replay
    // buffer (B publishes after answering the callback, so the webhook's 204 alone would not say so).
    onB.close();
    const witness = await open(a);
    expect((await witness.next()).type).toBe('session.hello');
    await send(b, callback(4, 'participant-hold', CUSTOMER, { ParticipantLabel: 'customer', Hold: 'true' }));
    const held = await witness.next();
    const onA = await open(a, joined.event.id);
    const resumedHello = (await onA.next()) as LiveEvent<'session.hello'>;
    expect(resumedHello.data).toMatchObject({ instanceId: a.app.get(LIVE_INSTANCE_ID), resumed: true });
    const replayed = await onA.nextWithId();
    const missed = replayed.event as LiveEvent<'call.participants'>;
    expect(missed).toEqual(held);
    expect(replayed.id).toBe(missed.id);
    expect(missed.id.startsWith(`${b.app.get(LIVE_INSTANCE_ID)}-`)).toBe(true);
    expect(missed.data.participants.find((p) => p.participantId === CUSTOMER)?.held).toBe(true);
    expect(missed.data).toEqual(await participantsOn(a));

    // Live again on A: what B handles next arrives there too, once.
    await send(b, callback(5, 'participant-unhold', CUSTOMER, { ParticipantLabel: 'customer', Hold: 'false' }));
    const unheld = (await onA.next()) as LiveEvent<'call.participants'>;
    expect(unheld.data.participants.find((p) => p.participantId === CUSTOMER)?.held).toBe(false);
    expect(unheld.id).not.toBe(missed.id);
    expect(await witness.next()).toEqual(unheld);
  });

  it("a resume from a position only one instance knows (its start, before any event) gets session.resync on the other", async () => {
    const unknownToA = `${b.app.get(LIVE_INSTANCE_ID)}-start`;
    const onA = await open(a, unknownToA);
    expect((await onA.next()).type).toBe('session.hello');
    expect(await onA.next()).toMatchObject({ type: 'session.resync', data: { reason: 'unknown-last-event-id' } });
  });

  it('an instance whose Redis cannot be reached starts, is live, but is not ready', async () => {
    // The shared database, and a Redis port nothing listens on.
    const lonely = await startInstance(schema, { REDIS_URL: 'redis://:secret@127.0.0.1:1' });
    try {
      expect((await fetch(`${lonely.url}${API_ROUTES.health.live}`)).status).toBe(200);
      const ready = await fetch(`${lonely.url}${API_ROUTES.health.ready}`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { message: string };
      expect(body.message).toBe('Live-event bus (Redis) is not reachable');
      expect(JSON.stringify(body)).not.toContain('secret');
    } finally {
      await lonely.close();
    }
  });
});
