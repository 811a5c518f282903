import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { embeddedPostgresqlConf, initEmbeddedDataDir, isInitialized } from './embedded-initdb';
import { MIGRATIONS } from './migrations';
import { createPostgresPool } from './postgres-pool';
import { schema } from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Injection token of the open, migrated Database (DatabaseModule provides it). */
export const DATABASE = Symbol('DATABASE');

export interface DatabaseOptions {
  /** postgres://… to use a real server; null for the embedded engine. */
  readonly url: string | null;
  /** Embedded engine: a directory, or `memory://` for a throwaway in-memory database. */
  readonly dataDir: string;
  /** Real server only: run in this schema (created if missing); tests use one schema per file. */
  readonly searchPath?: string;
  /** Real server only: connection and statement limits (postgres-pool.ts says what each does). */
  readonly connectTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

/** One open database (embedded PGlite or a pg Pool) behind one drizzle instance. */
export class Database {
  private constructor(
    readonly db: Db,
    readonly engine: 'pglite' | 'postgres',
    private readonly closeClient: () => Promise<void>,
    /** Emits 'error-seen' for each dropped pooled connection (never emits on the embedded engine). */
    private readonly connectionErrors = new EventEmitter(),
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    if (options.url) {
      const { Pool } = await import('pg');
      const { drizzle } = await import('drizzle-orm/node-postgres');
      if (options.searchPath) {
        assertSchemaName(options.searchPath);
        const setup = new Pool({ connectionString: options.url, max: 1, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
        try { await setup.query(`CREATE SCHEMA IF NOT EXISTS "${options.searchPath}"`); } finally { await setup.end(); }
      }
      const connectionErrors = new EventEmitter();
      const pool = await createPostgresPool({ ...options, url: options.url }, (error) => connectionErrors.emit('error-seen', error));
      return new Database(drizzle(pool, { schema }) as unknown as Db, 'postgres', () => pool.end(), connectionErrors);
    }
    useBaselineWasmCompiler();
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const isMemory = options.dataDir.startsWith('memory://');
    const dataDir = isMemory ? options.dataDir : `${options.dataDir.replace(/\/+$/, '')}/pglite`;
    if (!isMemory) mkdirSync(dataDir, { recursive: true });
    const unlock = isMemory ? () => undefined : lockDataDir(dataDir);
    try {
      // A fresh dir: initdb in a child process, so its peak memory leaves with it (embedded-initdb.ts has the figures).
      if (!isMemory && !isInitialized(dataDir)) await initEmbeddedDataDir(dataDir, [LOCK_FILE_NAME]);
      // memory:// keeps PGlite's own settings (a throwaway, initdb in this process anyway).
      const client = new PGlite(dataDir, isMemory ? {} : { postgresqlconf: embeddedPostgresqlConf(dataDir) });
      await client.waitReady;
      return new Database(drizzle(client, { schema }) as unknown as Db, 'pglite', async () => {
        try { await client.close(); } finally { unlock(); }
      });
    } catch (error) {
      unlock();
      throw error;
    }
  }

  /**
   * Calls `listener` for each pooled connection that failed while idle and was dropped (a server restart,
   * pg_terminate_backend); the API carries on with new connections. Returns the unsubscribe function.
   */
  onConnectionError(listener: (error: Error) => void): () => void {
    this.connectionErrors.on('error-seen', listener);
    return () => this.connectionErrors.off('error-seen', listener);
  }

  /** Applies every migration not yet recorded, in order, in one transaction. Returns the ids applied. */
  async migrate(): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      // Two instances starting at once against one Postgres: the second waits here, then sees the records.
      if (this.engine === 'postgres') {
        // A migration may rewrite a large table, and may wait for another instance's: not a request's limit.
        await tx.execute(sql`SET LOCAL statement_timeout = 0`);
        await tx.execute(sql`SELECT pg_advisory_xact_lock(727001)`);
      }
      await tx.execute(sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const result = await tx.execute(sql`SELECT id FROM schema_migrations`);
      const applied = new Set((rowsOf(result) as Array<{ id: string }>).map((row) => row.id));
      const newlyApplied: string[] = [];
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.id)) continue;
        for (const statement of migration.statements) await tx.execute(sql.raw(statement));
        await tx.execute(sql`INSERT INTO schema_migrations (id) VALUES (${migration.id})`);
        newlyApplied.push(migration.id);
      }
      return newlyApplied;
    });
  }

  async ping(): Promise<boolean> {
    try {
      await this.db.execute(sql`SELECT 1`);
      return true;
    } catch {
      return false;
    }
  }

  /** Test helper for Postgres isolation: drops the schema this database ran in. */
  async dropSchema(schemaName: string): Promise<void> {
    assertSchemaName(schemaName);
    await this.db.execute(sql.raw(`DROP SCHEMA IF EXISTS "${schemaName}" CASCADE`));
  }

  close(): Promise<void> {
    return this.closeClient();
  }
}

/**
 * The embedded engine is Postgres compiled to WebAssembly. V8 compiles it twice by default: Liftoff at once, then
 * TurboFan for hot functions, and keeps both. Liftoff alone (measured on node 20, PGlite 0.5.16, an existing data
 * dir with shared_buffers=16MB): RSS 169 instead of 207 MiB after 3 000 upserts, an API idle at about 190 instead
 * of 265 MiB, initdb 6 s instead of 15 s, and about 13 % more CPU per statement once warm (210 vs 185 µs per
 * upsert). The embedded engine is the zero-setup default, where memory and start-up matter more than the last
 * tenth of throughput; Postgres is for production. The flag only concerns WebAssembly, and only this process
 * runs any: it is read when a module is compiled, so it is set before PGlite's is.
 */
function useBaselineWasmCompiler(): void {
  setFlagsFromString('--liftoff-only');
}

/** Another live process has the embedded database open (the API, or a second admin command). */
export class DatabaseInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number, readonly lockFile: string) {
    super(`The embedded database in ${dataDir} is in use by process ${pid}. The embedded engine serves one process at a time: `
      + `stop the API first (or use DATABASE_URL with a Postgres server). If no such process is running, delete ${lockFile}.`);
    this.name = 'DatabaseInUseError';
  }
}

/**
 * The embedded engine takes no lock of its own, and two processes writing one directory corrupt it
 * (an admin command run while the API is up, say). A pid file makes the second one fail clearly.
 * A file whose process is gone (crash, SIGKILL) is replaced, and so is one naming our own pid that this
 * process did not write: a container restarted after a crash runs the API as pid 1 again, and the pid 1
 * in the file is its previous life, not a live holder. Returns the release function.
 */
const LOCK_FILE_NAME = 'switchboard.pid';

/** Lock files this process wrote and still holds: our own pid in any other one is a previous life's. */
const heldLockFiles = new Set<string>();

function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dataDir, LOCK_FILE_NAME);
  const release = () => {
    heldLockFiles.delete(lockFile);
    try {
      if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(lockFile);
    } catch { /* already gone */ }
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      heldLockFiles.add(lockFile);
      process.once('exit', release);
      return () => { process.removeListener('exit', release); release(); };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = NaN;
    try { holder = Number(readFileSync(lockFile, 'utf8').trim()); } catch { continue; /* released meanwhile */ }
    const heldByUs = holder === process.pid && heldLockFiles.has(lockFile);
    if (heldByUs || (holder !== process.pid && isLiveNodeProcess(holder))) throw new DatabaseInUseError(dataDir, holder, lockFile);
    try { unlinkSync(lockFile); } catch { /* another process replaced it first; try again */ }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}: ${lockFile} keeps changing; is another process starting?`);
}

function isLiveNodeProcess(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A pid reused by an unrelated program after a crash is not a holder (Linux tells us; elsewhere assume it is).
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return process.platform !== 'linux';
  }
}

function assertSchemaName(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid schema name "${name}"`);
}

/** Rows of a raw `execute`: both drivers answer `{ rows }`. */
export function rowsOf(result: unknown): unknown[] {
  return (result as { rows: unknown[] }).rows;
}
