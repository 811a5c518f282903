import { sql } from 'drizzle-orm';
import { callStatusRank, isTerminalCallStatus } from './call-state';
import { Database, rowsOf } from './database';
import { MIGRATIONS } from './migrations';

describe('Database (embedded engine)', () => {
  let database: Database;
  beforeAll(async () => { database = await Database.open({ url: null, dataDir: 'memory://' }); });
  afterAll(() => database.close());

  it('applies every migration once, in order, and records it', async () => {
    expect(await database.migrate()).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await database.migrate()).toEqual([]);
    const recorded = rowsOf(await database.db.execute(sql`SELECT id FROM schema_migrations ORDER BY id`));
    expect(recorded).toEqual(MIGRATIONS.map((m) => ({ id: m.id })));
    expect(await database.ping()).toBe(true);
  });

  it('refuses identities the Voice SDK could not use, at the database too', async () => {
    await expect(database.db.execute(sql`INSERT INTO agents (identity, display_name, role, password_hash) VALUES ('a b', 'x', 'agent', 'h')`))
      .rejects.toThrow();
  });
});

describe('call state ranks', () => {
  it('only moves forward, and every end state is final', () => {
    expect(callStatusRank('queued')).toBeLessThan(callStatusRank('initiated'));
    expect(callStatusRank('initiated')).toBeLessThan(callStatusRank('ringing'));
    expect(callStatusRank('ringing')).toBeLessThan(callStatusRank('in-progress'));
    expect(callStatusRank('in-progress')).toBeLessThan(callStatusRank('completed'));
    expect((['completed', 'busy', 'no-answer', 'canceled', 'failed'] as const).every(isTerminalCallStatus)).toBe(true);
    expect(isTerminalCallStatus('in-progress')).toBe(false);
  });
});
