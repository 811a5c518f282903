import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { IDENTITY_PATTERN, isTerminalCallStatus } from '@switchboard/shared-contracts';
import { callStatusRank } from './call-state';
import { Database, DatabaseInUseError, rowsOf } from './database';
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

  it('checks identities with the shared rule (migrations are frozen text, so this catches drift)', () => {
    const agentsTable = MIGRATIONS[0].statements.find((statement) => statement.includes('CREATE TABLE agents'));
    expect(agentsTable).toContain(`CHECK (identity ~ '${IDENTITY_PATTERN.source}')`);
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

describe('Database (embedded engine on disk)', () => {
  let dataDir: string;
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'sb-db-')); });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second opener of the same directory while the first is open, naming what to do', async () => {
    const first = await Database.open({ url: null, dataDir });
    try {
      const second = Database.open({ url: null, dataDir });
      await expect(second).rejects.toBeInstanceOf(DatabaseInUseError);
      await expect(Database.open({ url: null, dataDir })).rejects.toThrow(/in use by process \d+.*stop the API first/);
    } finally {
      await first.close();
    }
    const reopened = await Database.open({ url: null, dataDir });
    expect(await reopened.ping()).toBe(true);
    await reopened.close();
  });

  it('replaces the lock of a process that is gone', async () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    mkdirSync(join(dataDir, 'pglite'), { recursive: true });
    writeFileSync(join(dataDir, 'pglite', 'switchboard.pid'), exited.stdout);
    const database = await Database.open({ url: null, dataDir });
    expect(readFileSync(join(dataDir, 'pglite', 'switchboard.pid'), 'utf8')).toBe(String(process.pid));
    await database.close();
    expect(existsSync(join(dataDir, 'pglite', 'switchboard.pid'))).toBe(false);
  });
});
