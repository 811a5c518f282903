/**
 * Spec-support only (not exported from index.ts, excluded from tsconfig.lib.json): the database a describe block
 * of this lib's specs runs on, on the embedded engine and, when TEST_DATABASE_URL is set, on a real Postgres too.
 */
import { randomBytes } from 'node:crypto';
import { Database } from '../database';

export type SpecEngine = 'pglite' | 'postgres';

/** The embedded engine always; a real Postgres too when TEST_DATABASE_URL is set (as the API's specs do). */
export const SPEC_ENGINES: readonly SpecEngine[] = process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];

export interface SpecDatabase {
  readonly engine: SpecEngine;
  /** The schema of its own this block uses on the real Postgres (unused on the embedded engine). */
  readonly schema: string;
  /** The open, migrated database; throws when read before the block's beforeAll ran (or after afterAll). */
  readonly database: Database;
  /**
   * Another handle on the same database (a second API instance's pool), closed by afterAll. Postgres only:
   * the embedded engine lives in one process, so a second open would be a different, empty database.
   */
  openAnother(): Promise<Database>;
}

/** What a block builds on the migrated database before its tests: repositories, seed rows, more handles. */
export type SpecSetUp = (database: Database, spec: SpecDatabase) => Promise<void> | void;

/**
 * Registers the block's beforeAll (open, migrate, then setUp) and afterAll (drop the schema, close every handle).
 * Call it directly inside a describe callback.
 */
export function specDatabase(engine: SpecEngine, setUp?: SpecSetUp): SpecDatabase {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = process.env['TEST_DATABASE_URL'];
  let opened: Database | undefined;
  const others: Database[] = [];

  const spec: SpecDatabase = {
    engine,
    schema,
    get database(): Database {
      if (!opened) throw new Error(`specDatabase(${engine}): the database is read outside the tests (before beforeAll opened it, or after afterAll closed it)`);
      return opened;
    },
    async openAnother(): Promise<Database> {
      if (engine !== 'postgres' || !url) throw new Error('specDatabase: openAnother needs the postgres engine (the embedded one cannot be shared)');
      const other = await Database.open({ url, dataDir: 'memory://', searchPath: schema });
      others.push(other);
      return other;
    },
  };

  beforeAll(async () => {
    const database = engine === 'postgres'
      ? await Database.open({ url: url as string, dataDir: 'memory://', searchPath: schema })
      : await Database.open({ url: null, dataDir: 'memory://' });
    opened = database;
    await database.migrate();
    await setUp?.(database, spec);
  }, 120_000); // a hang guard only: the embedded engine's start is slow on a loaded machine
  afterAll(async () => {
    const database = opened;
    opened = undefined;
    await Promise.all(others.splice(0).map((other) => other.close()));
    if (engine === 'postgres') await database?.dropSchema(schema);
    await database?.close();
  });

  return spec;
}
