import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Database } from './database';
import { RescuesRepository, type NewRescue } from './repositories';
import { SPEC_ENGINES, specDatabase } from './testing/spec-database';

describe.each(SPEC_ENGINES)('RescuesRepository (%s)', (engine) => {
  let database: Database;
  let repository: RescuesRepository;
  const t0 = new Date('2026-12-06T08:00:00Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  let n = 0;
  const cf = () => `CF${(++n).toString(16).padStart(32, '0')}`;

  async function conference(status = 'in-progress'): Promise<string> {
    const sid = cf();
    await database.db.execute(sql`INSERT INTO conferences (conference_sid, friendly_name, status) VALUES (${sid}, ${`room-${n}`}, ${status})`);
    return sid;
  }
  const rescue = (conferenceSid: string, overrides: Partial<NewRescue> = {}): NewRescue => ({
    rescueId: randomUUID(), conferenceSid, customerCallSid: `CA-customer-${conferenceSid}`, identity: 'alice',
    droppedCallSid: `CA-alice-${conferenceSid}`, customerDisplay: '+1415•••0100', openedAt: t0, expiresAt: later(60), ...overrides,
  });

  specDatabase(engine, (opened) => {
    database = opened;
    repository = new RescuesRepository(database);
  });

  it('opens one rescue per conference and per dropped leg', async () => {
    const sid = await conference();
    const opened = await repository.open(rescue(sid));
    expect(opened).toMatchObject({ state: 'open', conferenceSid: sid, identity: 'alice', closedAt: null });
    expect(await repository.open(rescue(sid, { droppedCallSid: 'CA-other' }))).toBe('exists');
    expect(await repository.open(rescue(sid))).toBe('exists');
    expect(await repository.findByDroppedCall(`CA-alice-${sid}`)).toEqual(opened);
    expect(await repository.findOpenForConference(sid)).toEqual(opened);
  });

  it('admits a rejoin only for the owner of an open, unexpired rescue of a live conference', async () => {
    const sid = await conference();
    const opened = await repository.open(rescue(sid)) as { rescueId: string };
    expect(await repository.admitRejoin('alice', opened.rescueId, later(59))).toEqual({
      conferenceSid: sid, conferenceName: `room-${n}`, customerCallSid: `CA-customer-${sid}`,
    });
    expect(await repository.admitRejoin('bob', opened.rescueId, later(1))).toBeUndefined();
    expect(await repository.admitRejoin('alice', opened.rescueId, later(60))).toBeUndefined();
    expect(await repository.admitRejoin('alice', 'not-a-uuid', later(1))).toBeUndefined();
    expect(await repository.admitRejoin('alice', randomUUID(), later(1))).toBeUndefined();
    await database.db.execute(sql`UPDATE conferences SET status = 'completed' WHERE conference_sid = ${sid}`);
    expect(await repository.admitRejoin('alice', opened.rescueId, later(1))).toBeUndefined();
  });

  it('lists the agent\'s open unexpired rescues, soonest first, and closes each once', async () => {
    await database.db.execute(sql`DELETE FROM rescues`);
    const [a, b, c] = [await conference(), await conference(), await conference()];
    await repository.open(rescue(a, { identity: 'carol', expiresAt: later(50) }));
    await repository.open(rescue(b, { identity: 'carol', expiresAt: later(30) }));
    await repository.open(rescue(c, { identity: 'dave' }));
    expect((await repository.listOpenFor('carol', later(10))).map((r) => r.conferenceSid)).toEqual([b, a]);
    expect((await repository.listOpenFor('carol', later(40))).map((r) => r.conferenceSid)).toEqual([a]);

    expect(await repository.markRejoined(a, 'dave', later(1))).toBeUndefined();
    expect(await repository.markRejoined(a, 'carol', later(1))).toMatchObject({ state: 'rejoined', closedAt: later(1) });
    expect(await repository.markRejoined(a, 'carol', later(2))).toBeUndefined();
    expect(await repository.markEnded(c, later(3))).toMatchObject({ state: 'ended' });
    expect(await repository.markEnded(c, later(4))).toBeUndefined();
    expect(await repository.listOpenFor('carol', later(10))).toHaveLength(1);
  });

  it('hands each expired rescue to exactly one of two concurrent claimers', async () => {
    await database.db.execute(sql`DELETE FROM rescues`);
    const sids = [await conference(), await conference(), await conference()];
    for (const [i, sid] of sids.entries()) await repository.open(rescue(sid, { expiresAt: later(10 + i) }));
    expect(await repository.claimExpired(later(9), 10)).toEqual([]);
    const [first, second] = await Promise.all([repository.claimExpired(later(11), 10), repository.claimExpired(later(11), 10)]);
    const claimed = [...first, ...second].map((r) => r.conferenceSid).sort();
    expect(claimed).toEqual([sids[0], sids[1]].sort());
    expect([...first, ...second].every((r) => r.state === 'voicemail')).toBe(true);
    expect(await repository.claimExpired(later(100), 10)).toHaveLength(1);
    expect(await repository.claimExpired(later(100), 10)).toEqual([]);
    // A claim whose redirect failed is reopened once, and claimed again.
    expect(await repository.reopen(first[0]?.rescueId ?? second[0].rescueId)).toBe(true);
    expect(await repository.reopen(first[0]?.rescueId ?? second[0].rescueId)).toBe(false);
    const [again] = await repository.claimExpired(later(100), 10);
    expect(again.state).toBe('voicemail');
    expect(await repository.endClaimed(again.rescueId, later(101))).toBe(true);
    expect(await repository.endClaimed(again.rescueId, later(102))).toBe(false);
    expect(await repository.find(again.rescueId)).toMatchObject({ state: 'ended', closedAt: later(101) });
  });

  it('remembers a leg left on purpose', async () => {
    expect(await repository.isIntendedLeave('CA-leg')).toBe(false);
    await repository.recordIntendedLeave('CA-leg', 'alice');
    await repository.recordIntendedLeave('CA-leg', 'alice');
    expect(await repository.isIntendedLeave('CA-leg')).toBe(true);
  });
});
