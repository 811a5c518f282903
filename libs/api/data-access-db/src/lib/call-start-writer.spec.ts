import { sql } from 'drizzle-orm';
import { CallStartWriter, mergeBySid, type CallStart } from './call-start-writer';
import { Database, rowsOf } from './database';

const sid = (n: number) => `CA${String(n).padStart(32, '0')}`;
const start = (n: number, overrides: Partial<CallStart> = {}): CallStart => ({
  callSid: sid(n), direction: 'outbound', from: 'client:alice', to: 'client:bob', participants: ['alice', 'bob'],
  voicemailTarget: 'agent:bob', status: 'initiated', at: new Date(Date.UTC(2026, 10, 24, 12, 0, n % 60)), ...overrides,
});

/** Everything a call start leaves behind, comparable across databases. */
async function snapshot(database: Database): Promise<unknown> {
  return {
    calls: rowsOf(await database.db.execute(sql`
      SELECT call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at::text
      FROM calls ORDER BY call_sid`)),
    participants: rowsOf(await database.db.execute(sql`SELECT call_sid, agent_identity FROM call_participants ORDER BY 1, 2`)),
  };
}

/** The driver under drizzle, where the writer's statement goes (runStatement). */
function driverOf(database: Database): { query(text: string, params: unknown[]): Promise<unknown> } {
  return (database.db as unknown as { $client: { query(text: string, params: unknown[]): Promise<unknown> } }).$client;
}

async function openDatabase(): Promise<Database> {
  const database = await Database.open({ url: null, dataDir: 'memory://' });
  await database.migrate();
  return database;
}

describe('CallStartWriter (embedded engine)', () => {
  let batched: Database;
  let oneByOne: Database;
  beforeAll(async () => { [batched, oneByOne] = await Promise.all([openDatabase(), openDatabase()]); });
  afterAll(async () => { await batched.close(); await oneByOne.close(); });

  it('writes concurrent sightings, retries of one CallSid included, as writing them one at a time would', async () => {
    const sightings: CallStart[] = [
      start(1, { voicemailTarget: null, participants: ['alice'] }),
      start(2),
      start(1, { participants: ['bob', 'carol'], at: new Date(Date.UTC(2026, 10, 24, 11, 0, 0)) }),
      start(3, { direction: 'inbound', from: '+14155550100', to: '+14155550111', status: 'ringing', participants: [] }),
      start(1, { voicemailTarget: 'group:sales', direction: 'inbound', status: 'ringing' }),
      start(2, { participants: ['bob'] }),
    ];
    const writer = new CallStartWriter(batched);
    const execute = jest.spyOn(driverOf(batched), 'query');
    await Promise.all(sightings.map((s) => writer.record(s)));
    // Handed over in one turn of the event loop: written together in one statement.
    expect(execute).toHaveBeenCalledTimes(1);
    execute.mockRestore();

    // Awaited one by one, each sighting is its own statement and meets the earlier ones as conflicts.
    const oneAtATime = new CallStartWriter(oneByOne);
    const executeAlone = jest.spyOn(driverOf(oneByOne), 'query');
    for (const s of sightings) await oneAtATime.record(s);
    expect(executeAlone).toHaveBeenCalledTimes(sightings.length);
    executeAlone.mockRestore();
    expect(await snapshot(batched)).toEqual(await snapshot(oneByOne));
    expect(await snapshot(batched)).toMatchObject({
      calls: [{ call_sid: sid(1), voicemail_target: 'agent:bob', direction: 'outbound', started_at: '2026-11-24 11:00:00+00' }, { call_sid: sid(2) }, { call_sid: sid(3) }],
    });
  });

  it('a retry that changes nothing writes no new row version; a missing voicemail target or an earlier start does', async () => {
    const writer = new CallStartWriter(batched);
    const version = async () => rowsOf(await batched.db.execute(sql`
      SELECT xmin::text AS v, voicemail_target, started_at::text FROM calls WHERE call_sid = ${sid(40)}`))[0] as { v: string; voicemail_target: string | null; started_at: string };
    await writer.record(start(40, { voicemailTarget: null }));
    const first = await version();
    await writer.record(start(40, { voicemailTarget: null, at: new Date(Date.UTC(2026, 10, 24, 13, 0, 0)), status: 'ringing' }));
    expect(await version()).toEqual(first);
    await writer.record(start(40, { voicemailTarget: 'agent:carol' }));
    const withTarget = await version();
    expect(withTarget).toMatchObject({ voicemail_target: 'agent:carol', started_at: first.started_at });
    expect(withTarget.v).not.toBe(first.v);
    await writer.record(start(40, { voicemailTarget: 'agent:dave', at: new Date(Date.UTC(2026, 10, 24, 10, 0, 0)) }));
    expect(await version()).toMatchObject({ voicemail_target: 'agent:carol', started_at: '2026-11-24 10:00:00+00' });
  });

  it('fails only the call that cannot be stored; the ones batched with it are written', async () => {
    const writer = new CallStartWriter(batched);
    const outcomes = await Promise.allSettled([
      writer.record(start(10)),
      writer.record(start(11)),
      writer.record(start(12, { direction: 'sideways' as CallStart['direction'] })),
      writer.record(start(13)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = rowsOf(await batched.db.execute(sql`SELECT call_sid FROM calls WHERE call_sid IN (${sid(10)}, ${sid(11)}, ${sid(12)}, ${sid(13)}) ORDER BY 1`));
    expect(stored).toEqual([{ call_sid: sid(10) }, { call_sid: sid(11) }, { call_sid: sid(13) }]);
  });

  it('whenIdle settles after every handed-over call is stored', async () => {
    const writer = new CallStartWriter(batched);
    const written = [20, 21, 22].map((n) => writer.record(start(n)));
    await writer.whenIdle();
    const stored = rowsOf(await batched.db.execute(sql`SELECT count(*)::int AS n FROM calls WHERE call_sid IN (${sid(20)}, ${sid(21)}, ${sid(22)})`));
    expect(stored).toEqual([{ n: 3 }]);
    await Promise.all(written);
  });
});

describe('mergeBySid', () => {
  it('keeps the first sighting, the first voicemail target, the earliest start and every participant', () => {
    const merged = mergeBySid([
      start(1, { voicemailTarget: null, participants: ['alice'], at: new Date(2000) }),
      start(1, { voicemailTarget: 'agent:bob', participants: ['bob'], at: new Date(1000), status: 'ringing' }),
      start(1, { voicemailTarget: 'agent:carol', participants: ['alice'], at: new Date(3000) }),
    ]);
    expect(merged).toEqual([{ ...start(1), voicemailTarget: 'agent:bob', at: new Date(1000), participants: new Set(['alice', 'bob']) }]);
  });
});
