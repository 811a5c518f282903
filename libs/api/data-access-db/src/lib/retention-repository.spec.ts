import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Database, rowsOf } from './database';
import { RescuesRepository, RetentionRepository } from './repositories';
import { SPEC_ENGINES, specDatabase } from './testing/spec-database';

describe.each(SPEC_ENGINES)('RetentionRepository (%s)', (engine) => {
  let database: Database;
  let retention: RetentionRepository;
  let rescues: RescuesRepository;
  const run = (query: ReturnType<typeof sql>) => database.db.execute(query).then((result) => rowsOf(result) as Array<Record<string, unknown>>);

  specDatabase(engine, (opened) => {
    database = opened;
    retention = new RetentionRepository(database);
    rescues = new RescuesRepository(database);
  });

  it('deletes intended leaves recorded before the cut-off, once, and keeps the rest', async () => {
    const cutOff = new Date('2026-12-05T08:00:00Z');
    for (const [callSid, at] of [['CA-old', '2026-12-01T00:00:00Z'], ['CA-just-before', '2026-12-05T07:59:59Z'],
      ['CA-at', '2026-12-05T08:00:00Z'], ['CA-after', '2026-12-06T08:00:00Z']] as const) {
      await run(sql`INSERT INTO intended_leaves (call_sid, identity, recorded_at) VALUES (${callSid}, 'alice', ${at}::timestamptz)`);
    }
    await rescues.recordIntendedLeave('CA-fresh', 'bob');

    expect(await retention.deleteIntendedLeavesBefore(cutOff)).toBe(2);
    expect(await retention.deleteIntendedLeavesBefore(cutOff)).toBe(0);
    expect((await run(sql`SELECT call_sid FROM intended_leaves ORDER BY call_sid`)).map((r) => r['call_sid']))
      .toEqual(['CA-after', 'CA-at', 'CA-fresh']);
    expect(await rescues.isIntendedLeave('CA-old')).toBe(false);
    expect(await rescues.isIntendedLeave('CA-fresh')).toBe(true);
  });

  it('leaves closed rescues alone: they are call history, whose rows are kept', async () => {
    const conferenceSid = `CF${randomBytes(16).toString('hex')}`;
    const opened = new Date('2026-01-01T00:00:00Z');
    await rescues.open({
      rescueId: randomUUID(), conferenceSid, customerCallSid: 'CA-customer', identity: 'alice', droppedCallSid: 'CA-dropped',
      customerDisplay: '+1415•••0100', openedAt: opened, expiresAt: new Date(opened.getTime() + 60_000),
    });
    await rescues.markEnded(conferenceSid, new Date(opened.getTime() + 1000));
    await retention.deleteIntendedLeavesBefore(new Date('2027-01-01T00:00:00Z'));
    expect(await run(sql`SELECT state FROM rescues WHERE conference_sid = ${conferenceSid}`)).toEqual([{ state: 'ended' }]);
  });

  it('indexes rescues by conference for the history lookup of closed ones (migration 0010)', async () => {
    const rows = await run(sql`SELECT indexdef FROM pg_indexes WHERE indexname = 'rescues_conference' AND schemaname = current_schema()`);
    expect(rows.map((r) => String(r['indexdef']).replace(/"?[a-z0-9_]+"?\.rescues/, 'rescues'))).toEqual([
      'CREATE INDEX rescues_conference ON rescues USING btree (conference_sid)',
    ]);
  });
});
