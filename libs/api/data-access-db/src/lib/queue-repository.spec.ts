import { sql } from 'drizzle-orm';
import { Database } from './database';
import { QueueRepository, type NewQueuedCall } from './repositories';
import { SPEC_ENGINES, specDatabase } from './testing/spec-database';

describe.each(SPEC_ENGINES)('QueueRepository (%s)', (engine) => {
  let database: Database;
  let repository: QueueRepository;
  const t0 = new Date('2026-12-06T08:00:00Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  let n = 0;
  const sid = (prefix: 'CA' | 'CF') => `${prefix}${(++n).toString(16).padStart(32, '0')}`;
  const call = (overrides: Partial<NewQueuedCall> = {}): NewQueuedCall => ({
    customerCallSid: sid('CA'), customerNumber: '+14155550100', target: 'group:support', members: ['alice', 'bob'], enqueuedAt: t0, ...overrides,
  });

  async function conferenceOf(customerCallSid: string): Promise<string> {
    const conferenceSid = sid('CF');
    await database.db.execute(sql`INSERT INTO conferences (conference_sid, friendly_name, status) VALUES (${conferenceSid}, ${`sb-${customerCallSid}`}, 'in-progress')`);
    return conferenceSid;
  }
  async function participant(conferenceSid: string, callSid: string, label: string, identity: string | null, left = false): Promise<void> {
    await database.db.execute(sql`
      INSERT INTO conference_participants (conference_sid, call_sid, label, agent_identity, joined_at, left_at, last_sequence)
      VALUES (${conferenceSid}, ${callSid}, ${label}, ${identity}, ${later(5).toISOString()}, ${left ? later(6).toISOString() : null}, 1)`);
  }

  specDatabase(engine, (opened) => {
    database = opened;
    repository = new QueueRepository(database);
  });
  beforeEach(async () => {
    await database.db.execute(sql`DELETE FROM call_queue`);
  });

  it('queues a call once, and lists the queue oldest first with positions', async () => {
    const first = call({ enqueuedAt: later(1) });
    const second = call({ enqueuedAt: later(2), target: 'agent:bob', members: ['bob'] });
    expect(await repository.enqueue(second)).toBe(true);
    expect(await repository.enqueue(first)).toBe(true);
    expect(await repository.enqueue(first)).toBe(false);
    expect(await repository.waiting(later(3))).toEqual([
      { callSid: first.customerCallSid, from: '+14155550100', target: 'group:support', position: 1, enqueuedAt: later(1).toISOString() },
      { callSid: second.customerCallSid, from: '+14155550100', target: 'agent:bob', position: 2, enqueuedAt: later(2).toISOString() },
    ]);
    expect((await repository.waiting(later(1))).map((queued) => queued.callSid)).toEqual([first.customerCallSid]);
    expect(await repository.position(first.customerCallSid)).toBe(1);
    expect(await repository.position(second.customerCallSid)).toBe(2);
    expect(await repository.find(second.customerCallSid)).toMatchObject({ state: 'waiting', members: ['bob'], tried: [], offeredTo: null, endedAt: null });
  });

  it('offers a call to one agent at a time, never twice to the same agent, and takes it back when unanswered', async () => {
    const first = call({ enqueuedAt: later(1) });
    const second = call({ enqueuedAt: later(2) });
    await repository.enqueue(first);
    await repository.enqueue(second);
    expect(await repository.offer(first.customerCallSid, 'bob', later(3))).toMatchObject({ state: 'offered', offeredTo: 'bob', tried: ['bob'], offeredAt: later(3) });
    expect(await repository.offer(first.customerCallSid, 'alice', later(3))).toBeUndefined(); // already offered
    expect(await repository.offer(second.customerCallSid, 'bob', later(3))).toBeUndefined(); // bob is being offered another call
    expect(await repository.position(first.customerCallSid)).toBe(1); // still in the queue while it rings

    expect(await repository.returnToWaiting(first.customerCallSid, 'alice')).toBeUndefined();
    expect(await repository.returnToWaiting(first.customerCallSid, 'bob')).toMatchObject({ state: 'waiting', offeredTo: null, tried: ['bob'] });
    expect(await repository.offer(first.customerCallSid, 'bob', later(4))).toBeUndefined(); // tried
    expect(await repository.offer(second.customerCallSid, 'bob', later(4))).toMatchObject({ offeredTo: 'bob' });
    expect(await repository.offer(first.customerCallSid, 'alice', later(4))).toMatchObject({ offeredTo: 'alice', tried: ['bob', 'alice'] });
  });

  it('lets exactly one of several parallel offers of one agent through', async () => {
    const calls = [call(), call(), call(), call()];
    for (const queued of calls) await repository.enqueue(queued);
    const offers = await Promise.all(calls.map((queued) => repository.offer(queued.customerCallSid, 'bob', later(1))));
    expect(offers.filter((offer) => offer !== undefined)).toHaveLength(1);
  });

  it('returns offers nobody settled after a while to waiting', async () => {
    const queued = call();
    await repository.enqueue(queued);
    await repository.offer(queued.customerCallSid, 'bob', later(10));
    expect(await repository.returnStaleOffers(later(10))).toEqual([]);
    expect(await repository.returnStaleOffers(later(11))).toEqual([expect.objectContaining({ state: 'waiting', tried: ['bob'] })]);
  });

  it('settles answered and abandoned calls from the stored callbacks, answers first', async () => {
    const answered = call();
    const hungUp = call();
    const leftConference = call();
    const answeredThenLeft = call();
    const stillWaiting = call();
    for (const queued of [answered, hungUp, leftConference, answeredThenLeft, stillWaiting]) await repository.enqueue(queued);
    await participant(await conferenceOf(answered.customerCallSid), sid('CA'), 'client:bob', 'bob');
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${hungUp.customerCallSid}, 'inbound', '+14155550100', '+14155550199', 'completed', 4, ${t0.toISOString()})`);
    await participant(await conferenceOf(leftConference.customerCallSid), leftConference.customerCallSid, 'customer', null, true);
    const both = await conferenceOf(answeredThenLeft.customerCallSid);
    await participant(both, answeredThenLeft.customerCallSid, 'customer', null, true);
    await participant(both, sid('CA'), 'client:alice', 'alice');
    await conferenceOf(stillWaiting.customerCallSid);

    const settled = await repository.settleFromRecords(later(9));
    expect(settled.answered.map((entry) => [entry.customerCallSid, entry.answeredBy]).sort()).toEqual(
      [[answered.customerCallSid, 'bob'], [answeredThenLeft.customerCallSid, 'alice']].sort());
    expect(settled.answered[0]).toMatchObject({ state: 'answered', answeredAt: later(5), endedAt: later(5) });
    expect(settled.abandoned.map((entry) => entry.customerCallSid).sort()).toEqual([hungUp.customerCallSid, leftConference.customerCallSid].sort());
    expect(settled.abandoned[0]).toMatchObject({ state: 'abandoned', endedAt: later(9) });
    expect(await repository.settleFromRecords(later(10))).toEqual({ answered: [], abandoned: [] });
    expect((await repository.waiting(later(10))).map((queued) => queued.callSid)).toEqual([stillWaiting.customerCallSid]);
  });

  it('marks a call answered or abandoned once, only while queued', async () => {
    const queued = call();
    await repository.enqueue(queued);
    expect(await repository.markAbandoned(queued.customerCallSid, later(3))).toMatchObject({ state: 'abandoned', endedAt: later(3) });
    expect(await repository.markAnswered(queued.customerCallSid, 'bob', later(4))).toBeUndefined();
    expect(await repository.position(queued.customerCallSid)).toBeNull();
    const other = call();
    await repository.enqueue(other);
    expect(await repository.markAnswered(other.customerCallSid, 'bob', later(4))).toMatchObject({ state: 'answered', answeredBy: 'bob', answeredAt: later(4) });
    expect(await repository.markAbandoned(other.customerCallSid, later(5))).toBeUndefined();
  });

  it('claims each call past its wait for voicemail once, even from parallel claims, and reopens or abandons a claim', async () => {
    const old = call({ enqueuedAt: later(0) });
    const offered = call({ enqueuedAt: later(1) });
    const recent = call({ enqueuedAt: later(100) });
    for (const queued of [old, offered, recent]) await repository.enqueue(queued);
    await repository.offer(offered.customerCallSid, 'bob', later(2));
    const claims = await Promise.all([repository.claimExpired(later(1), later(120), 10), repository.claimExpired(later(1), later(120), 10)]);
    expect(claims.flat().map((entry) => entry.customerCallSid).sort()).toEqual([old.customerCallSid, offered.customerCallSid].sort());
    expect(claims.flat()[0]).toMatchObject({ state: 'voicemail', endedAt: later(120) });
    expect(await repository.claimExpired(later(1), later(121), 10)).toEqual([]);

    expect(await repository.reopenClaimed(old.customerCallSid)).toBe(true);
    expect(await repository.find(old.customerCallSid)).toMatchObject({ state: 'waiting', endedAt: null });
    expect(await repository.abandonClaimed(offered.customerCallSid, later(122))).toBe(true);
    expect(await repository.find(offered.customerCallSid)).toMatchObject({ state: 'abandoned', endedAt: later(122) });
    expect(await repository.abandonClaimed(offered.customerCallSid, later(123))).toBe(false);
  });
});
