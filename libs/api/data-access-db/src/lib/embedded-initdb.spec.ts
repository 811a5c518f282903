import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Database, DatabaseInUseError, rowsOf } from './database';
import { EmbeddedInitError, initEmbeddedDataDir } from './embedded-initdb';
import { MIGRATIONS } from './migrations';

/** A fresh data dir is created by a child process (initdb), then opened in-process with the lean settings. */
describe('Database embedded engine on a directory', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'sb-db-initdb-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a fresh dir, migrates it, and keeps the data across a reopen', async () => {
    const first = await Database.open({ url: null, dataDir: root });
    try {
      expect(existsSync(join(root, 'pglite', 'PG_VERSION'))).toBe(true);
      expect(readdirSync(root)).toEqual(['pglite']); // the child's staging dir is gone
      expect(await first.migrate()).toEqual(MIGRATIONS.map((m) => m.id));
      await first.db.execute(sql`CREATE TABLE kept (v text)`);
      await first.db.execute(sql`INSERT INTO kept VALUES ('still here')`);
      expect(rowsOf(await first.db.execute(sql`SHOW shared_buffers`))).toEqual([{ shared_buffers: '16MB' }]);
      // initdb's own settings survive PGlite rewriting postgresql.conf.
      expect(rowsOf(await first.db.execute(sql`SHOW timezone`))).toEqual([{ TimeZone: 'UTC' }]);
    } finally {
      await first.close();
    }
    const second = await Database.open({ url: null, dataDir: root });
    try {
      expect(await second.migrate()).toEqual([]);
      expect(rowsOf(await second.db.execute(sql`SELECT v FROM kept`))).toEqual([{ v: 'still here' }]);
      const conf = readFileSync(join(root, 'pglite', 'postgresql.conf'), 'utf8');
      expect(conf.match(/^\s*shared_buffers\s*=.*$/gm)).toEqual(['shared_buffers=16MB']); // replaced, not piled up
    } finally {
      await second.close();
    }
  });

  it('refuses a fresh dir another live process holds, before running initdb', async () => {
    mkdirSync(join(root, 'pglite'));
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise<void>((resolve, reject) => { holder.once('spawn', resolve); holder.once('error', reject); });
      writeFileSync(join(root, 'pglite', 'switchboard.pid'), String(holder.pid));
      await expect(Database.open({ url: null, dataDir: root })).rejects.toBeInstanceOf(DatabaseInUseError);
      expect(existsSync(join(root, 'pglite', 'PG_VERSION'))).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('says how the initdb child failed (exit code and its stderr), instead of hanging', async () => {
    // A regular file where the staging dir's parent should be: the child cannot create the database there.
    writeFileSync(join(root, 'not-a-dir'), '');
    const failure = initEmbeddedDataDir(join(root, 'not-a-dir', 'pglite'));
    await expect(failure).rejects.toBeInstanceOf(EmbeddedInitError);
    await expect(failure).rejects.toThrow(/initdb process exited with code 1:\n.*\S/);
  });
});
