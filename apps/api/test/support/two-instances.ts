import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { DATABASE, type Database } from '@switchboard/api-data-access-db';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { createApp } from '../../src/app/create-app';
import { PUBLIC_BASE_URL, type TestApi } from '../support';

/**
 * What a multi-instance spec needs: the real Postgres and Redis every development machine and CI runs
 * (a user's fresh machine runs the API without either; only these specs need them).
 */
export const SHARED_SERVICES = {
  postgres: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
} as const;

/**
 * Throws, naming what is missing and how to provide it, unless both servers answer. Called in beforeAll:
 * the spec then fails (never skips), as the multi-instance requirement must not pass unnoticed in CI.
 */
export async function requirePostgresAndRedis(spec: string): Promise<void> {
  const missing: string[] = [];
  const pool = new Pool({ connectionString: SHARED_SERVICES.postgres, max: 1, connectionTimeoutMillis: 3000 });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    missing.push(`Postgres at ${SHARED_SERVICES.postgres} (${(error as Error).message || String(error)})`);
  } finally {
    await pool.end().catch(() => undefined);
  }
  let cause = '';
  const redis = new Redis(SHARED_SERVICES.redis, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', (error: Error) => (cause = error.message));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    missing.push(`Redis at ${SHARED_SERVICES.redis} (${cause || (error as Error).message})`);
  } finally {
    redis.disconnect();
  }
  if (missing.length === 0) return;
  throw new Error([
    `${spec} runs two API instances on one Postgres and one Redis, and cannot reach: ${missing.join('; ')}.`,
    'To run it locally, start both, e.g.',
    '  docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16',
    '  docker run -d -p 6379:6379 redis:7',
    'or point TEST_DATABASE_URL (postgres://…) and TEST_REDIS_URL (redis://…) at servers you have.',
  ].join('\n'));
}

export interface Instance extends TestApi {
  /** Stops the app; the shared schema stays until {@link dropSchema}. */
  close(): Promise<void>;
}

/**
 * One API instance on the shared Postgres schema, with `env` on top (REDIS_URL…). Start instances one
 * after the other: the first applies the migrations and seeds, the next find them done.
 */
export async function startInstance(schema: string, env: Record<string, string>): Promise<Instance> {
  const config = loadAppConfig({
    SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL, DATA_DIR: 'memory://', STATIC_DIR: 'none', LOG_LEVEL: 'warn', RECONCILE_INTERVAL_SECONDS: '0',
    DATABASE_URL: SHARED_SERVICES.postgres, ...env,
  });
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createApp({ config, databaseSearchPath: config.database.url ? schema : undefined, logStream });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { url, app, config, database: app.get<Database>(DATABASE), logLines, close: () => app.close() };
}

export function newSchema(): string {
  return `t_multi_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const pool = new Pool({ connectionString: SHARED_SERVICES.postgres, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pool.end();
  }
}

export { EventReader } from './ordered-event-reader';
