import { CallbackInboxRepository, ConferencesRepository, rowsOf } from '@switchboard/api-data-access-db';
import { ConferenceSweep } from '@switchboard/api-feature-conferences';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { getExpectedTwilioSignature } from 'twilio';
import { callSid, ENGINES, postWebhook, PUBLIC_BASE_URL, startApi, type TestApi } from './support';

const ACCOUNT = SANDBOX_CREDENTIALS.accountSid;
const ROUTE = WEBHOOK_ROUTES.conferenceStatus;
const START = Date.UTC(2026, 11, 6, 10, 0, 0);
const conferenceSid = (n: number) => `CF${n.toString(16).padStart(32, '0')}`;
const timestamp = (second: number) => new Date(START + second * 1000).toUTCString().replace('GMT', '+0000');

const CUSTOMER = callSid(0xc0001);
const ALICE = callSid(0xc0002);
const BOB = callSid(0xc0003);

/** A conference callback as Twilio sends it (the sequence number doubles as the second it happened). */
function callback(cf: string, sequence: number, event: string, call: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: ACCOUNT, ConferenceSid: cf, FriendlyName: 'support-call', SequenceNumber: String(sequence), Timestamp: timestamp(sequence),
    StatusCallbackEvent: event, ...(call ? { CallSid: call } : {}), ...extra,
  };
}

const flags = (hold: boolean, endOnExit = false) => ({ Muted: 'false', Hold: String(hold), Coaching: 'false', EndConferenceOnExit: String(endOnExit), StartConferenceOnEnter: 'true' });

/** The brief's realistic sequence: start, join customer (A), join bob (B), hold B, unhold B, leave A, end. */
function realistic(cf: string): Array<Record<string, string>> {
  return [
    callback(cf, 1, 'conference-start', null),
    callback(cf, 2, 'participant-join', CUSTOMER, { ParticipantLabel: 'customer', ...flags(false) }),
    callback(cf, 3, 'participant-join', BOB, { ParticipantLabel: 'client:bob', ...flags(false, true) }),
    callback(cf, 4, 'participant-hold', BOB, { ParticipantLabel: 'client:bob', ...flags(true, true) }),
    callback(cf, 5, 'participant-unhold', BOB, { ParticipantLabel: 'client:bob', ...flags(false, true) }),
    callback(cf, 6, 'participant-leave', CUSTOMER, { ParticipantLabel: 'customer', ...flags(false) }),
    callback(cf, 7, 'conference-end', null, { ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left', CallSidEndingConference: BOB }),
  ];
}

/** A fixed-seed generator (mulberry32), so the sampled orderings are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** `count` orderings of 0..6: in order, reversed, then seeded shuffles; each with duplicates (every event again after the next). */
function orderings(count: number, seed: number): number[][] {
  const random = seeded(seed);
  const identity = [0, 1, 2, 3, 4, 5, 6];
  const orders = [identity, [...identity].reverse(), ...Array.from({ length: count - 2 }, () => shuffled(identity, random))];
  return orders.map((order) => [...order.flatMap((event, i) => (i === 0 ? [event] : [event, order[i - 1]])), order[order.length - 1]]);
}

/** Timestamps as ISO strings (the engines print them differently), keys sorted. */
function normalised(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => {
    const value = record[key];
    return [key, key.endsWith('_at') && typeof value === 'string' ? new Date(value).toISOString() : value];
  }));
}

describe.each(ENGINES)('conference status callbacks (%s)', (engine) => {
  let api: TestApi;
  beforeAll(async () => { api = await startApi(engine, { LOG_LEVEL: 'warn', RECONCILE_INTERVAL_SECONDS: '0' }); }, 180_000);
  afterAll(() => api?.close());

  const send = (params: Record<string, string>, options?: Parameters<typeof postWebhook>[3]) => postWebhook(api, ROUTE, params, options);
  const query = async (statement: ReturnType<typeof sql>) => rowsOf(await api.database.db.execute(statement)) as Array<Record<string, unknown>>;
  const countsFor = async (cf: string) => (await query(sql`
    SELECT (SELECT count(*)::int FROM conferences WHERE conference_sid = ${cf}) AS conferences,
           (SELECT count(*)::int FROM conference_events WHERE conference_sid = ${cf}) AS events,
           (SELECT count(*)::int FROM conference_participants WHERE conference_sid = ${cf}) AS participants,
           (SELECT count(*)::int FROM callback_inbox WHERE params->>'ConferenceSid' = ${cf}) AS inbox,
           (SELECT count(*)::int FROM callback_inbox WHERE params->>'ConferenceSid' = ${cf} AND processed_at IS NULL) AS pending`))[0];
  /** The conference and its participants as stored, minus the SID and the write times. */
  const recordOf = async (cf: string) => JSON.stringify({
    conference: (await query(sql`SELECT to_jsonb(c) - 'conference_sid' - 'created_at' - 'updated_at' AS r FROM conferences c WHERE conference_sid = ${cf}`))
      .map((row) => normalised(row['r'] as Record<string, unknown>)),
    participants: (await query(sql`SELECT to_jsonb(p) - 'conference_sid' - 'updated_at' AS r FROM conference_participants p WHERE conference_sid = ${cf} ORDER BY call_sid`))
      .map((row) => normalised(row['r'] as Record<string, unknown>)),
  });

  it('refuses forged callbacks with 403 and writes nothing', async () => {
    const cf = conferenceSid(0x1);
    const params = callback(cf, 2, 'participant-join', CUSTOMER, { ParticipantLabel: 'customer', ...flags(false) });
    const url = `${PUBLIC_BASE_URL}${ROUTE}`;
    const forgeries: Array<Parameters<typeof postWebhook>[3]> = [
      { signature: null }, { signature: '' },
      { signature: getExpectedTwilioSignature('0'.repeat(32), url, params) },
      { signedUrl: `https://evil.test${ROUTE}` },
      { signedUrl: `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.status}` },
      { signedParams: { ...params, Hold: 'true' } },
      { signedParams: { ...params, ConferenceSid: conferenceSid(0x2) } },
    ];
    const statuses = [];
    for (const options of forgeries) statuses.push((await send(params, options)).status);
    expect(statuses).toEqual(forgeries.map(() => 403));
    expect(await countsFor(cf)).toEqual({ conferences: 0, events: 0, participants: 0, inbox: 0, pending: 0 });
  });

  it('ends in one identical record for 150 orderings of the realistic sequence, each with duplicates', async () => {
    const chosen = orderings(150, 20261206);
    const outcomes: Array<{ order: string; statuses: number[]; record: string; counts: Record<string, unknown> }> = [];
    let next = 0;
    const worker = async () => {
      for (let k = next++; k < chosen.length; k = next++) {
        const cf = conferenceSid(0x1000 + k);
        const events = realistic(cf);
        const statuses: number[] = [];
        for (const index of chosen[k]) statuses.push((await send(events[index])).status);
        outcomes[k] = { order: chosen[k].join(''), statuses, record: await recordOf(cf), counts: await countsFor(cf) };
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));

    expect(outcomes.filter((o) => o.statuses.some((s) => s !== 204))).toEqual([]);
    expect(outcomes.filter((o) => JSON.stringify(o.counts) !== JSON.stringify({ conferences: 1, events: 7, participants: 2, inbox: 7, pending: 0 }))).toEqual([]);
    const distinct = new Set(outcomes.map((o) => o.record));
    expect(distinct.size).toBe(1);
    const [record] = [...distinct].map((text) => JSON.parse(text) as { conference: Array<Record<string, unknown>>; participants: Array<Record<string, unknown>> });
    const at = (second: number) => new Date(START + second * 1000).toISOString();
    expect(record.conference).toEqual([{
      friendly_name: 'support-call', anchor_call_sid: CUSTOMER, status: 'completed', started_at: at(1), ended_at: at(7),
      reason_ended: 'participant-with-end-conference-on-exit-left', call_sid_ending: BOB, last_sequence: 7,
    }]);
    expect(record.participants).toEqual([
      { call_sid: CUSTOMER, label: 'customer', agent_identity: null, joined_at: at(2), left_at: at(6), hold: false, muted: false, coaching: false, end_conference_on_exit: false, last_sequence: 6 },
      { call_sid: BOB, label: 'client:bob', agent_identity: 'bob', joined_at: at(3), left_at: at(7), hold: false, muted: false, coaching: false, end_conference_on_exit: true, last_sequence: 5 },
    ]);
  }, 600_000);

  it('ends in the same record when all of a conference\'s callbacks and their duplicates arrive at once', async () => {
    const expected = await recordOf(conferenceSid(0x1000)); // the in-order delivery of the test above
    const records = await Promise.all(Array.from({ length: 20 }, async (_, k) => {
      const cf = conferenceSid(0x1800 + k);
      const events = realistic(cf);
      const statuses = await Promise.all([...events, ...events].map((params) => send(params)));
      return { statuses: statuses.map((r) => r.status).filter((s) => s !== 204), record: await recordOf(cf), counts: await countsFor(cf) };
    }));
    expect(records.filter((r) => r.statuses.length > 0 || r.record !== expected)).toEqual([]);
    expect(records.map((r) => r.counts)).toEqual(records.map(() => ({ conferences: 1, events: 7, participants: 2, inbox: 7, pending: 0 })));
  }, 300_000);

  it('stores one event and one inbox row for 50 concurrent deliveries of one callback', async () => {
    const cf = conferenceSid(0x2000);
    const params = callback(cf, 3, 'participant-join', BOB, { ParticipantLabel: 'client:bob', ...flags(false) });
    const statuses = (await Promise.all(Array.from({ length: 50 }, () => send(params)))).map((r) => r.status);
    expect(statuses.filter((s) => s !== 204)).toEqual([]);
    expect(await countsFor(cf)).toEqual({ conferences: 1, events: 1, participants: 1, inbox: 1, pending: 0 });
  });

  it('answers 2xx, never 5xx, to signed callbacks with bad or unknown values: unplaceable ones are not stored', async () => {
    const cf = conferenceSid(0x3000);
    const unplaceable = [
      callback('CF1234', 1, 'conference-start', null),
      callback(`CF${'A'.repeat(32)}`, 1, 'conference-start', null),
      callback(cf, 1, 'participant-join', 'CA123'),
      callback(cf, 1, 'participant-hold', null),
      { ...callback(cf, 1, 'conference-start', null), SequenceNumber: 'first' },
      { ...callback(cf, 1, 'conference-start', null), StatusCallbackEvent: '<Dial>+19005550123</Dial>' },
      { AccountSid: ACCOUNT },
    ];
    const refused = await Promise.all(unplaceable.map((params) => send(params)));
    expect(refused.map((r) => r.status)).toEqual(unplaceable.map(() => 204));
    expect(await countsFor(cf)).toEqual({ conferences: 0, events: 0, participants: 0, inbox: 0, pending: 0 });

    const stored = [
      callback(cf, 2, 'participant-join', ALICE, { ParticipantLabel: 'client:alice', Muted: 'perhaps', Hold: 'false' }),
      callback(cf, 3, 'participant-teleport', ALICE),
      callback(cf, 4, 'participant-speech-start', ALICE, { Timestamp: 'not a time' }),
      callback(cf, 5, 'announcement-end', null),
    ];
    const accepted = await Promise.all(stored.map((params) => send(params)));
    expect(accepted.map((r) => r.status)).toEqual(stored.map(() => 204));
    expect(await countsFor(cf)).toEqual({ conferences: 1, events: 4, participants: 1, inbox: 4, pending: 0 });
    expect(await api.app.get(ConferencesRepository).currentParticipants(cf)).toEqual([
      { callSid: ALICE, label: 'client:alice', agentIdentity: 'alice', joinedAt: new Date(START + 2000), hold: false, muted: false, coaching: false },
    ]);
  });

  it('answers who is in the call now, for authorization: agents named by label or by their call record', async () => {
    const cf = conferenceSid(0x5000);
    const conferences = api.app.get(ConferencesRepository);
    // Alice's leg was dialled with the Participants API: her call record (from its status callback) names her.
    const alicesCall = await postWebhook(api, WEBHOOK_ROUTES.status, {
      AccountSid: ACCOUNT, CallSid: ALICE, CallStatus: 'in-progress', SequenceNumber: '2', From: '+14155550100', To: 'client:alice', Direction: 'outbound-api',
    });
    expect(alicesCall.status).toBe(204);
    for (const params of [
      callback(cf, 1, 'conference-start', null),
      callback(cf, 2, 'participant-join', CUSTOMER, { ParticipantLabel: 'customer', ...flags(false) }),
      callback(cf, 3, 'participant-join', BOB, { ParticipantLabel: 'client:bob', ...flags(false) }),
      callback(cf, 4, 'participant-join', ALICE, flags(false)),
    ]) expect((await send(params)).status).toBe(204);
    expect((await conferences.currentParticipants(cf)).map((p) => [p.callSid, p.agentIdentity])).toEqual([[CUSTOMER, null], [BOB, 'bob'], [ALICE, 'alice']]);
    const members = async () => Promise.all(['alice', 'bob', 'carol'].map((identity) => conferences.isCurrentParticipant(identity, CUSTOMER)));
    expect(await members()).toEqual([true, true, false]);
    expect(await conferences.isCurrentParticipant('bob', BOB)).toBe(false); // bob's own leg anchors nothing

    expect((await send(callback(cf, 5, 'participant-leave', ALICE, flags(false)))).status).toBe(204);
    expect(await members()).toEqual([false, true, false]);
    expect((await send(callback(cf, 6, 'conference-end', null, { ReasonConferenceEnded: 'conference-ended-via-api' }))).status).toBe(204);
    expect(await members()).toEqual([false, false, false]);
    expect(await conferences.currentParticipants(cf)).toEqual([]);
  });

  it('answers 503 while the database fails, keeps the raw callback, and applies it on the retry or by the sweep', async () => {
    const cf = conferenceSid(0x4000);
    const join = callback(cf, 2, 'participant-join', CUSTOMER, { ParticipantLabel: 'customer', ...flags(false) });
    const hold = callback(cf, 3, 'participant-hold', CUSTOMER, { ParticipantLabel: 'customer', ...flags(true) });
    await api.database.db.execute(sql`ALTER TABLE conference_events RENAME TO conference_events_away`);
    try {
      expect((await send(join)).status).toBe(503);
      expect((await send(hold)).status).toBe(503);
    } finally {
      await api.database.db.execute(sql`ALTER TABLE conference_events_away RENAME TO conference_events`);
    }
    expect(await countsFor(cf)).toEqual({ conferences: 0, events: 0, participants: 0, inbox: 2, pending: 2 });
    const kept = await query(sql`SELECT kind, params, attempts FROM callback_inbox WHERE params->>'ConferenceSid' = ${cf} ORDER BY id`);
    expect(kept).toEqual([{ kind: 'conference', params: join, attempts: 1 }, { kind: 'conference', params: hold, attempts: 1 }]);

    expect((await send(join)).status).toBe(204); // Twilio's retry of the first
    expect(await api.app.get(ConferenceSweep).processPending(0)).toBe(1); // the second, as after a restart
    expect(await countsFor(cf)).toEqual({ conferences: 1, events: 2, participants: 1, inbox: 2, pending: 0 });
    expect(await api.app.get(CallbackInboxRepository).countPending()).toBe(0);
    expect((await api.app.get(ConferencesRepository).currentParticipants(cf))[0]).toMatchObject({ callSid: CUSTOMER, hold: true });
    expect(await api.app.get(ConferencesRepository).findConference(cf)).toMatchObject({ anchorCallSid: CUSTOMER, status: 'init', lastSequence: 3 });
  });
});
