import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, DatabaseInUseError } from './database';

/** The embedded engine's pid file across restarts: what a container restarted with the same pid finds. */
describe('Database embedded-engine lock', () => {
  let dataDir: string;
  const lockFile = () => join(dataDir, 'pglite', 'switchboard.pid');
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-db-lock-'));
    mkdirSync(join(dataDir, 'pglite'), { recursive: true });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts when the lock names its own pid from a previous life (pid 1 in a restarted container)', async () => {
    writeFileSync(lockFile(), String(process.pid));
    const database = await Database.open({ url: null, dataDir });
    expect(await database.ping()).toBe(true);
    expect(readFileSync(lockFile(), 'utf8')).toBe(String(process.pid));
    await database.close();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('still refuses a second opener in the same process while the first holds the lock', async () => {
    const first = await Database.open({ url: null, dataDir });
    try {
      await expect(Database.open({ url: null, dataDir })).rejects.toBeInstanceOf(DatabaseInUseError);
    } finally {
      await first.close();
    }
  });

  it('still refuses while another live Node process holds it', async () => {
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise<void>((resolve, reject) => { holder.once('spawn', resolve); holder.once('error', reject); });
      writeFileSync(lockFile(), String(holder.pid));
      await expect(Database.open({ url: null, dataDir })).rejects.toThrow(new RegExp(`in use by process ${holder.pid}\\b`));
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
