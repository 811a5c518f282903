import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Settings the embedded engine opens with (PGlite writes them to the data dir's postgresql.conf on each open).
 * initdb sizes shared_buffers at 128MB, which the WASM heap keeps resident: measured on node 20, PGlite 0.5.16,
 * an existing dir opened at ~293 MiB RSS with 128MB, ~190 MiB with 32MB and ~169 MiB with 16MB (after 2 000
 * upserts: 331 MiB with the initdb default, 186 MiB with 16MB). work_mem and the other per-query sizes changed nothing
 * measurable, so they keep their defaults (the Insights report sorts). Durability settings are untouched.
 */
export const EMBEDDED_POSTGRESQL_CONF: readonly string[] = ['shared_buffers=16MB'];

/**
 * The whole postgresql.conf to open `dataDir` with: PGlite replaces the file with what it is given, so this keeps
 * initdb's lines (timezone, datestyle, text search config, …) and puts ours in place of any earlier value of theirs.
 */
export function embeddedPostgresqlConf(dataDir: string): string {
  const names = EMBEDDED_POSTGRESQL_CONF.map((line) => line.split('=')[0].trim());
  const isOurs = (line: string) => names.some((name) => new RegExp(`^\\s*${name}\\s*=`, 'i').test(line));
  const current = readFileSync(join(dataDir, 'postgresql.conf'), 'utf8').split('\n').filter((line) => !isOurs(line));
  while (current.length && current[current.length - 1].trim() === '') current.pop();
  return [...current, ...EMBEDDED_POSTGRESQL_CONF].join('\n') + '\n';
}

/** A first start slower than this on a loaded machine is a stuck child, not a slow one. */
const INITDB_TIMEOUT_MS = 180_000;

// Runs in a short-lived child: initdb leaves ~650-750 MiB in the process that ran it, never given back,
// so the API must not be that process. argv: [node, pglite module path, data dir].
const INITDB_CHILD = `
const { PGlite } = require(process.argv[1]);
(async () => {
  const client = new PGlite(process.argv[2]);
  await client.waitReady;
  await client.close();
})().catch((error) => { process.stderr.write(String((error && error.stack) || error) + '\\n'); process.exit(1); });
`;

export class EmbeddedInitError extends Error {
  constructor(readonly dataDir: string, readonly detail: string) {
    super(`Could not create the embedded database in ${dataDir}: ${detail}`);
    this.name = 'EmbeddedInitError';
  }
}

/** True when `dataDir` holds a finished initdb (PG_VERSION is moved in last, so it marks a complete one). */
export function isInitialized(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * Runs initdb for `dataDir` in a child process, into a sibling temporary dir, then moves its entries in with
 * PG_VERSION last: a crash part-way leaves no PG_VERSION, and the next start does it again. The caller holds
 * the data dir's lock; `keep` names entries of `dataDir` that are not the database's (the lock file).
 */
export async function initEmbeddedDataDir(dataDir: string, keep: readonly string[] = []): Promise<void> {
  const staging = `${dataDir.replace(/\/+$/, '')}.initdb-${process.pid}`;
  removeQuietly(staging);
  try {
    await runChild(staging);
    const entries = readdirSync(staging).filter((name) => name !== 'PG_VERSION');
    for (const name of [...entries, 'PG_VERSION']) {
      if (keep.includes(name)) continue;
      // Leftovers of an earlier start that died mid-move (no PG_VERSION, so nothing of value) give way.
      rmSync(join(dataDir, name), { recursive: true, force: true });
      renameSync(join(staging, name), join(dataDir, name));
    }
  } finally {
    removeQuietly(staging);
  }
}

/** A staging dir that cannot be removed (or never existed) must not hide the child's own error. */
function removeQuietly(path: string): void {
  try { rmSync(path, { recursive: true, force: true }); } catch { /* reported by what follows, if it matters */ }
}

function runChild(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // --liftoff-only: the baseline WebAssembly compiler alone, as in the API (database.ts): initdb 6 s instead of 15.
    const child = spawn(process.execPath, ['--liftoff-only', '-e', INITDB_CHILD, pgliteModulePath(), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-2_000); });
    const timer = setTimeout(() => child.kill('SIGKILL'), INITDB_TIMEOUT_MS);
    child.once('error', (error) => { clearTimeout(timer); reject(new EmbeddedInitError(dir, `initdb process did not start (${error.message})`)); });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const how = signal ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${INITDB_TIMEOUT_MS / 1000} s?` : ''})` : `exited with code ${code}`;
      const tail = stderr.trim().split('\n').slice(-8).join('\n');
      reject(new EmbeddedInitError(dir, `initdb process ${how}${tail ? `:\n${tail}` : ''}`));
    });
  });
}

/**
 * Where the child loads PGlite from: resolved from the running script (dist/apps/api/main.js or admin.js, whose
 * node_modules the API uses), else from the working directory; webpack bundles this file, so no __dirname of ours.
 */
function pgliteModulePath(): string {
  for (const base of [process.argv[1], join(process.cwd(), 'index.js')]) {
    if (!base) continue;
    try { return createRequire(base).resolve('@electric-sql/pglite'); } catch { /* try the next */ }
  }
  throw new EmbeddedInitError('', 'cannot find the @electric-sql/pglite package from the running script or the working directory');
}
