import { randomBytes } from 'node:crypto';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { Database, OutboundCallCaps, RetentionRepository, rowsOf, SessionsRepository } from '@switchboard/api-data-access-db';
import type { RecordingRemover } from '@switchboard/api-data-access-telephony';
import { sql } from 'drizzle-orm';
import { RetentionSweeper } from './retention-sweeper';

/** The embedded engine always; a real Postgres too when TEST_DATABASE_URL is set (as the API's specs do). */
const ENGINES: ReadonlyArray<'pglite' | 'postgres'> = process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];
const SIGN_IN_WINDOW_SECONDS = 600;

/**
 * The audit purges on a real database: outbound-call refusals past OUTBOUND_REFUSAL_RETENTION_DAYS,
 * sign-in failures the limiter's window no longer counts and intended leaves a day old go; everything
 * younger stays.
 */
describe.each(ENGINES)('RetentionSweeper on a real database (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let database: Database;

  beforeAll(async () => {
    database = engine === 'postgres'
      ? await Database.open({ url: process.env['TEST_DATABASE_URL'] as string, dataDir: 'memory://', searchPath: schema })
      : await Database.open({ url: null, dataDir: 'memory://' });
    await database.migrate();
  }, 120_000); // a hang guard only: the embedded engine's start is slow on a loaded machine
  afterAll(async () => {
    if (engine === 'postgres') await database?.dropSchema(schema);
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.execute(sql`DELETE FROM outbound_call_refusals`);
    await database.db.execute(sql`DELETE FROM sign_in_failures`);
    await database.db.execute(sql`DELETE FROM intended_leaves`);
  });

  const run = (query: ReturnType<typeof sql>) => database.db.execute(query).then((result) => rowsOf(result) as Array<Record<string, unknown>>);
  function sweeperWith(env: Record<string, string>): RetentionSweeper {
    return new RetentionSweeper(
      loadAppConfig({ SIGN_IN_WINDOW_SECONDS: String(SIGN_IN_WINDOW_SECONDS), ...env }),
      new SessionsRepository(database),
      new RetentionRepository(database),
      new OutboundCallCaps(database),
      { remove: async () => 'deleted' } as RecordingRemover,
    );
  }
  async function insertRefusals(ages: ReadonlyArray<readonly [string, string]>): Promise<void> {
    for (const [callSid, age] of ages) {
      await run(sql`INSERT INTO outbound_call_refusals (call_sid, agent_identity, to_number, reason, refused_at)
        VALUES (${callSid}, 'alice', '+14155550100', 'hourly-limit', now() - ${age}::interval)`);
    }
  }
  const refusalsLeft = async () => (await run(sql`SELECT call_sid FROM outbound_call_refusals ORDER BY call_sid`)).map((r) => r['call_sid']);

  it('deletes refusals older than OUTBOUND_REFUSAL_RETENTION_DAYS and keeps younger ones', async () => {
    await insertRefusals([['CA-old', '31 days'], ['CA-older', '400 days'], ['CA-recent', '29 days'], ['CA-today', '1 minute']]);
    const report = await sweeperWith({ OUTBOUND_REFUSAL_RETENTION_DAYS: '30' }).sweep();
    expect(report.outboundRefusalsDeleted).toBe(2);
    expect(await refusalsLeft()).toEqual(['CA-recent', 'CA-today']);
  });

  it('keeps the whole refusal audit when OUTBOUND_REFUSAL_RETENTION_DAYS is 0, and 90 days by default', async () => {
    await insertRefusals([['CA-89d', '89 days'], ['CA-91d', '91 days'], ['CA-10y', '3650 days']]);
    expect((await sweeperWith({ OUTBOUND_REFUSAL_RETENTION_DAYS: '0' }).sweep()).outboundRefusalsDeleted).toBe(0);
    expect(await refusalsLeft()).toEqual(['CA-10y', 'CA-89d', 'CA-91d']);
    expect((await sweeperWith({}).sweep()).outboundRefusalsDeleted).toBe(2);
    expect(await refusalsLeft()).toEqual(['CA-89d']);
  });

  it('deletes sign-in failures outside the limiter window and keeps every one still inside it', async () => {
    for (const [identity, secondsAgo] of [['past-window', SIGN_IN_WINDOW_SECONDS + 30], ['long-past', 86_400], ['inside', SIGN_IN_WINDOW_SECONDS - 60], ['just-now', 0]] as const) {
      await run(sql`INSERT INTO sign_in_failures (identity, source, failed_at)
        VALUES (${identity}, '198.51.100.7', now() - ${secondsAgo}::int * interval '1 second')`);
    }
    const report = await sweeperWith({}).sweep();
    expect(report.signInFailuresDeleted).toBe(2);
    expect((await run(sql`SELECT identity FROM sign_in_failures ORDER BY identity`)).map((r) => r['identity'])).toEqual(['inside', 'just-now']);
  });

  it('deletes intended leaves a day old and keeps younger ones', async () => {
    for (const [callSid, age] of [['CA-2d', '2 days'], ['CA-25h', '25 hours'], ['CA-23h', '23 hours'], ['CA-now', '1 second']] as const) {
      await run(sql`INSERT INTO intended_leaves (call_sid, identity, recorded_at) VALUES (${callSid}, 'alice', now() - ${age}::interval)`);
    }
    await sweeperWith({}).sweep();
    expect((await run(sql`SELECT call_sid FROM intended_leaves ORDER BY call_sid`)).map((r) => r['call_sid'])).toEqual(['CA-23h', 'CA-now']);
  });
});
