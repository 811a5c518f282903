import { randomBytes } from 'node:crypto';
import { Database } from '@switchboard/api-data-access-db';
import { sql } from 'drizzle-orm';
import { FloorQueries, monitorIdentityOf } from './floor-queries';

/** The embedded engine always; a real Postgres too when TEST_DATABASE_URL is set (as the API's specs do). */
const ENGINES: ReadonlyArray<'pglite' | 'postgres'> = process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];

const ca = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
const cf = (n: number) => `CF${n.toString(16).padStart(32, '0')}`;
const CUSTOMER_NUMBER = '+14155550150';

describe('monitorIdentityOf', () => {
  it('reads the supervisor of a monitor label only', () => {
    expect([monitorIdentityOf('monitor:sam'), monitorIdentityOf('client:sam'), monitorIdentityOf('monitor:'), monitorIdentityOf(null)]).toEqual(['sam', null, null, null]);
  });
});

describe.each(ENGINES)('FloorQueries (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let database: Database;
  let queries: FloorQueries;

  beforeAll(async () => {
    database = engine === 'postgres'
      ? await Database.open({ url: process.env['TEST_DATABASE_URL'] as string, dataDir: 'memory://', searchPath: schema })
      : await Database.open({ url: null, dataDir: 'memory://' });
    await database.migrate();
    queries = new FloorQueries(database);
  }, 120_000); // a hang guard only: the embedded engine's start is slow on a loaded machine
  afterAll(async () => {
    if (engine === 'postgres') await database?.dropSchema(schema);
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.execute(sql`TRUNCATE calls, conferences, conference_participants, voicemails, call_queue, call_ring_outcomes`);
  });

  async function call(callSid: string, direction: 'inbound' | 'outbound', from: string, to: string, startedAt: string, endedAt: string | null = null) {
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at, ended_at)
      VALUES (${callSid}, ${direction}, ${from}, ${to}, ${endedAt === null ? 'in-progress' : 'completed'}, ${endedAt === null ? 3 : 4}, ${startedAt}, ${endedAt})`);
  }

  async function conference(conferenceSid: string, name: string, anchor: string | null, status = 'in-progress') {
    await database.db.execute(sql`INSERT INTO conferences (conference_sid, friendly_name, anchor_call_sid, status) VALUES (${conferenceSid}, ${name}, ${anchor}, ${status})`);
  }

  async function participant(conferenceSid: string, callSid: string, label: string, joinedAt: string, leftAt: string | null = null, flags = { muted: false, coaching: false }) {
    const identity = label.startsWith('client:') ? label.slice(7) : null;
    await database.db.execute(sql`INSERT INTO conference_participants (conference_sid, call_sid, label, agent_identity, joined_at, left_at, muted, coaching, last_sequence)
      VALUES (${conferenceSid}, ${callSid}, ${label}, ${identity}, ${joinedAt}, ${leftAt}, ${flags.muted}, ${flags.coaching}, 1)`);
  }

  it('finds each agent\'s current customer call: inbound with the caller\'s number, outbound with the number dialled; never a monitor, a leg that left, or an ended conference', async () => {
    // bob answered an inbound caller; alice was in it and left; sam listens.
    await call(ca(1), 'inbound', CUSTOMER_NUMBER, '+14155550100', '2026-12-06T09:00:00Z');
    await conference(cf(1), `sb-${ca(1)}`, ca(1));
    await participant(cf(1), ca(1), 'customer', '2026-12-06T09:00:01Z');
    await participant(cf(1), ca(2), 'client:bob', '2026-12-06T09:00:20Z');
    await participant(cf(1), ca(3), 'client:alice', '2026-12-06T09:00:05Z', '2026-12-06T09:00:10Z');
    await participant(cf(1), ca(4), 'monitor:sam', '2026-12-06T09:01:00Z', null, { muted: true, coaching: false });
    // carol called a number out: her own call names the conference; the number's leg is its anchor.
    await call(ca(5), 'outbound', 'client:carol', '+14155550111', '2026-12-06T09:02:00Z');
    await conference(cf(2), `sb-${ca(5)}`, ca(6));
    await participant(cf(2), ca(5), 'client:carol', '2026-12-06T09:02:01Z');
    await participant(cf(2), ca(6), 'customer', '2026-12-06T09:02:05Z');
    // dave's conference has ended; erin is in a conference that is no customer call.
    await conference(cf(3), `sb-${ca(7)}`, ca(7), 'completed');
    await participant(cf(3), ca(8), 'client:dave', '2026-12-06T08:00:00Z');
    await conference(cf(4), 'call-room', null);
    await participant(cf(4), ca(9), 'client:erin', '2026-12-06T08:00:00Z');

    const calls = await queries.currentCalls();
    expect([...calls.keys()].sort()).toEqual(['bob', 'carol']);
    expect(calls.get('bob')).toEqual({
      identity: 'bob', agentCallSid: ca(2), customerCallSid: ca(1), conferenceSid: cf(1), direction: 'inbound', party: CUSTOMER_NUMBER,
      since: new Date('2026-12-06T09:00:20Z'),
    });
    expect(calls.get('carol')).toMatchObject({ agentCallSid: ca(5), customerCallSid: ca(6), direction: 'outbound', party: '+14155550111' });
    expect([...(await queries.currentCalls(['carol', 'alice'])).keys()]).toEqual(['carol']);
    expect((await queries.currentCalls([])).size).toBe(0);

    expect(await queries.monitoredCall(ca(1))).toEqual({
      conferenceSid: cf(1), customerCallSid: ca(1), agentLegs: [{ callSid: ca(2), identity: 'bob' }],
      monitors: [{ callSid: ca(4), identity: 'sam', muted: true, coaching: false }],
    });
    // An outbound call is addressed by its anchor (the number's leg) or by the call its name carries.
    expect((await queries.monitoredCall(ca(6)))?.agentLegs).toEqual([{ callSid: ca(5), identity: 'carol' }]);
    expect((await queries.monitoredCall(ca(5)))?.conferenceSid).toBe(cf(2));
    expect(await queries.monitoredCall(ca(7))).toBeUndefined();
    expect(await queries.monitoredCall(ca(99))).toBeUndefined();
  });

  it("counts today's inbound calls from midnight in the floor's time zone: answered (wait, handle), missed (a voicemail, the queue's wait or a ring timing out), abandoned", async () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const answered = async (n: number, startedAt: string, joinedAt: string, endedAt: string | null) => {
      await call(ca(n), 'inbound', CUSTOMER_NUMBER, '+14155550100', startedAt, endedAt);
      await conference(cf(n), `sb-${ca(n)}`, ca(n), endedAt === null ? 'in-progress' : 'completed');
      await participant(cf(n), ca(n), 'customer', startedAt);
      await participant(cf(n), ca(n + 1000), 'client:bob', joinedAt);
    };
    await answered(1, '2026-12-06T09:00:00Z', '2026-12-06T09:00:20Z', '2026-12-06T09:05:20Z'); // wait 20 s, handle 300 s
    await answered(2, '2026-12-06T09:10:00Z', '2026-12-06T09:10:40Z', null); // wait 40 s, still talking
    // A supervisor listening to a call nobody answered does not answer it.
    await call(ca(3), 'inbound', CUSTOMER_NUMBER, '+14155550100', '2026-12-06T09:20:00Z', '2026-12-06T09:21:00Z');
    await conference(cf(3), `sb-${ca(3)}`, ca(3), 'completed');
    await participant(cf(3), ca(3), 'customer', '2026-12-06T09:20:00Z');
    await participant(cf(3), ca(3003), 'monitor:sam', '2026-12-06T09:20:10Z');
    await database.db.execute(sql`INSERT INTO voicemails (recording_sid, call_sid, recording_url, from_number, called_target, duration_seconds)
      VALUES (${`RE${'3'.repeat(32)}`}, ${ca(3)}, 'https://x.test/r', ${CUSTOMER_NUMBER}, 'group:support', 5)`);
    await call(ca(4), 'inbound', CUSTOMER_NUMBER, '+14155550100', '2026-12-06T09:30:00Z', '2026-12-06T09:30:09Z'); // hung up while ringing
    // Missed without a message: the queue's wait ran out; bob's ringing timed out. Abandoned: hung up while queued, or after alice declined.
    const queued = async (n: number, state: string) => {
      await call(ca(n), 'inbound', CUSTOMER_NUMBER, '+14155550100', '2026-12-06T09:31:00Z', '2026-12-06T09:33:00Z');
      await database.db.execute(sql`INSERT INTO call_queue (customer_call_sid, customer_number, target, members, state, enqueued_at, ended_at)
        VALUES (${ca(n)}, ${CUSTOMER_NUMBER}, 'group:support', ARRAY['bob'], ${state}, '2026-12-06T09:31:01Z', '2026-12-06T09:33:00Z')`);
    };
    const rung = async (n: number, outcome: string) => {
      await call(ca(n), 'inbound', CUSTOMER_NUMBER, '+14155550100', '2026-12-06T09:35:00Z', '2026-12-06T09:36:00Z');
      await database.db.execute(sql`INSERT INTO call_ring_outcomes (call_sid, identity, outcome, rank, at) VALUES (${ca(n)}, 'bob', ${outcome}, 2, '2026-12-06T09:35:20Z')`);
    };
    await queued(20, 'voicemail');
    await queued(21, 'abandoned');
    await rung(22, 'no-answer');
    await rung(23, 'declined');
    await call(ca(5), 'inbound', CUSTOMER_NUMBER, '+14155550100', '2026-12-06T09:40:00Z'); // still ringing: not counted yet
    await call(ca(6), 'outbound', 'client:bob', '+14155550111', '2026-12-06T09:50:00Z', '2026-12-06T09:51:00Z'); // not inbound
    // 23:30 UTC on the 5th is 00:30 on the 6th in Paris; 22:30 UTC is the 5th there too.
    await call(ca(7), 'inbound', CUSTOMER_NUMBER, '+14155550100', '2026-12-05T23:30:00Z', '2026-12-05T23:30:05Z');
    await call(ca(8), 'inbound', CUSTOMER_NUMBER, '+14155550100', '2026-12-05T22:30:00Z', '2026-12-05T22:30:05Z');

    expect(await queries.todayCounts(now, 'UTC')).toEqual({ answered: 2, missed: 3, abandoned: 3, averageWaitSeconds: 30, averageHandleSeconds: 300 });
    expect(await queries.todayCounts(now, 'Europe/Paris')).toEqual({ answered: 2, missed: 3, abandoned: 4, averageWaitSeconds: 30, averageHandleSeconds: 300 });
    // Tomorrow nothing has happened yet.
    expect(await queries.todayCounts(new Date('2026-12-07T10:00:00Z'), 'UTC'))
      .toEqual({ answered: 0, missed: 0, abandoned: 0, averageWaitSeconds: null, averageHandleSeconds: null });
    expect(await queries.isInbound(ca(4))).toBe(true);
    expect(await queries.isInbound(ca(6))).toBe(false);
  });
});
