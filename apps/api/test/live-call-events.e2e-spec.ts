import { rowsOf } from '@switchboard/api-data-access-db';
import { ConferenceLiveUpdates } from '@switchboard/api-feature-conferences';
import { LiveEventPublisher } from '@switchboard/api-feature-live-events';
import { API_ROUTES, WEBHOOK_ROUTES, type CallParticipantsResponse, type LiveEvent } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { callSid, ENGINES, postWebhook, PUBLIC_BASE_URL, signIn, startApi, type TestApi } from './support';
import { EventReader, IGNORE_FLOOR_EVENTS } from './support/ordered-event-reader';

declare module '@switchboard/shared-contracts' {
  interface LiveEventMap {
    'test.marker': { readonly text: string };
  }
}

const ROUTE = WEBHOOK_ROUTES.conferenceStatus;
const CF = `CF${'12'.padStart(32, '0')}`;
const CUSTOMER = callSid(0x12001);
const BOB = callSid(0x12002);
const SAM = callSid(0x12003);
const START = Date.UTC(2026, 11, 6, 10, 0, 0);

/** A conference callback as Twilio sends it (the sequence number doubles as the second it happened). */
function callback(sequence: number, event: string, call: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: SANDBOX_CREDENTIALS.accountSid, ConferenceSid: CF, FriendlyName: 'support-call', SequenceNumber: String(sequence),
    Timestamp: new Date(START + sequence * 1000).toUTCString().replace('GMT', '+0000'), StatusCallbackEvent: event,
    ...(call ? { CallSid: call } : {}), Muted: 'false', Coaching: 'false', EndConferenceOnExit: 'false', ...extra,
  };
}

describe.each(ENGINES)('live call events: call.participants over SSE (%s)', (engine) => {
  let api: TestApi;
  let cookies: Record<'alice' | 'bob' | 'sam', string>;
  let bob: EventReader;
  let alice: EventReader;
  let bobName: string;
  let samName: string;

  const send = async (params: Record<string, string>) => {
    const response = await postWebhook(api, ROUTE, params);
    expect(response.status).toBe(204);
    // The publishes run after the callback is answered; wait for them rather than for time.
    await api.app.get(ConferenceLiveUpdates).settled();
  };
  /** A marker sent to both after everything before it: whatever a stream receives before it was sent before it. */
  const marker = (text: string) => api.app.get(LiveEventPublisher).publish('test.marker', { text }, { agents: ['alice', 'bob'] });
  const participantsOf = async (cookie: string, call: string) => {
    const response = await fetch(`${api.url}${API_ROUTES.calls.participants(call)}`, { headers: { cookie, origin: PUBLIC_BASE_URL } });
    expect(response.status).toBe(200);
    return (await response.json()) as CallParticipantsResponse;
  };

  beforeAll(async () => {
    api = await startApi(engine, { LOG_LEVEL: 'warn', RECONCILE_INTERVAL_SECONDS: '0' });
    cookies = { alice: await signIn(api, 'alice'), bob: await signIn(api, 'bob'), sam: await signIn(api, 'sam') };
    await api.database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${CUSTOMER}, 'inbound', '+14155550123', '+14155550199', 'in-progress', 3, now())`);
    [bob, alice] = [await EventReader.open(api, cookies.bob, { ignore: IGNORE_FLOOR_EVENTS }), await EventReader.open(api, cookies.alice, { ignore: IGNORE_FLOOR_EVENTS })];
    const [bobHello, aliceHello] = [await bob.next(), await alice.next()];
    expect([bobHello.type, aliceHello.type]).toEqual(['session.hello', 'session.hello']);
    bobName = (bobHello as LiveEvent<'session.hello'>).data.displayName;
    const samRows = rowsOf(await api.database.db.execute(sql`SELECT display_name FROM agents WHERE identity = 'sam'`)) as Array<{ display_name: string }>;
    samName = samRows[0].display_name;
  }, 180_000);
  afterAll(async () => {
    bob?.close();
    alice?.close();
    await api?.close();
  });

  it('sends bob, a participant, the view the participants route answers; alice, not in the call, gets nothing', async () => {
    await send(callback(1, 'conference-start', null));
    await send(callback(2, 'participant-join', CUSTOMER, { ParticipantLabel: 'customer', Hold: 'false' }));
    await send(callback(3, 'participant-join', BOB, { ParticipantLabel: 'client:bob', Hold: 'false' }));

    const joined = await bob.next();
    expect(joined.type).toBe('call.participants');
    expect(joined.data).toEqual({
      callSid: BOB,
      controllable: true,
      participants: [
        { participantId: CUSTOMER, displayName: '+1 ••• ••• 0123', identity: null, maskedNumber: '+1 ••• ••• 0123', role: 'customer', held: false, muted: false, joinedAt: new Date(START + 2000).toISOString() },
        { participantId: BOB, displayName: bobName, identity: 'bob', maskedNumber: null, role: 'agent', held: false, muted: false, joinedAt: new Date(START + 3000).toISOString() },
      ],
    });
    expect(joined.data).toEqual(await participantsOf(cookies.bob, BOB));

    await send(callback(4, 'participant-hold', CUSTOMER, { ParticipantLabel: 'customer', Hold: 'true' }));
    const held = await bob.next();
    expect(held.data).toEqual(await participantsOf(cookies.bob, BOB));
    expect((held as LiveEvent<'call.participants'>).data.participants.find((p) => p.participantId === CUSTOMER)?.held).toBe(true);

    const mark = await marker('after the hold');
    expect(await bob.next()).toEqual(mark);
    // Alice's first event since her hello is the marker: none of the conference's was sent to her.
    expect(await alice.next()).toEqual(mark);
  });

  it('a duplicate callback publishes nothing; a colleague who joins and leaves is told, then told only that they are out', async () => {
    await send(callback(4, 'participant-hold', CUSTOMER, { ParticipantLabel: 'customer', Hold: 'true' }));
    await send(callback(3, 'participant-join', BOB, { ParticipantLabel: 'client:bob', Hold: 'false' }));
    const mark = await marker('after the duplicates');
    expect(await bob.next()).toEqual(mark);
    expect(await alice.next()).toEqual(mark);

    const sam = await EventReader.open(api, cookies.sam, { ignore: IGNORE_FLOOR_EVENTS });
    try {
      expect((await sam.next()).type).toBe('session.hello');
      await send(callback(5, 'participant-join', SAM, { ParticipantLabel: 'client:sam', Hold: 'false' }));
      const samIn = await sam.next();
      expect(samIn.data).toEqual(await participantsOf(cookies.sam, SAM));
      const bobSees = (await bob.next()) as LiveEvent<'call.participants'>;
      expect(bobSees.data.participants.map((p) => [p.participantId, p.displayName])).toEqual([[CUSTOMER, '+1 ••• ••• 0123'], [BOB, bobName], [SAM, samName]]);

      await send(callback(6, 'participant-leave', SAM, { ParticipantLabel: 'client:sam', Hold: 'false' }));
      expect((await sam.next()).data).toEqual({ callSid: SAM, controllable: false, participants: [] });
      expect(((await bob.next()) as LiveEvent<'call.participants'>).data.participants.map((p) => p.participantId)).toEqual([CUSTOMER, BOB]);

      await send(callback(7, 'conference-end', null, { ReasonConferenceEnded: 'last-participant-left' }));
      expect((await bob.next()).data).toEqual({ callSid: BOB, controllable: false, participants: [] });
      // Sam had left before the end: nothing more for him.
      const last = await marker('after the end');
      expect(await bob.next()).toEqual(last);
      expect(await alice.next()).toEqual(last);
    } finally {
      sam.close();
    }
  });
});
