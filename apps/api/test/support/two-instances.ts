import { randomBytes } from 'node:crypto';
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { DATABASE, type Database } from '@switchboard/api-data-access-db';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { LIVE_EVENTS_PATH, type LiveEvent } from '@switchboard/shared-contracts';
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

/**
 * An SSE reader on its own HTTP connection (node:http: undici opens a spare connection when a streaming
 * fetch is aborted) that keeps the events in order, with the SSE id each frame carried.
 */
export class EventReader {
  private readonly events: Array<{ event: LiveEvent; id: string | null }> = [];
  private readonly waiters: Array<(entry: { event: LiveEvent; id: string | null } | null) => void> = [];
  private ended = false;
  private pending = '';

  private constructor(private readonly request: ClientRequest, incoming: IncomingMessage) {
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => {
      this.pending += chunk;
      let end: number;
      while ((end = this.pending.indexOf('\n\n')) >= 0) {
        const fields = this.pending.slice(0, end).split('\n');
        this.pending = this.pending.slice(end + 2);
        const data = fields.find((field) => field.startsWith('data: '));
        const id = fields.find((field) => field.startsWith('id: '))?.slice('id: '.length) ?? null;
        if (data !== undefined) this.push({ event: JSON.parse(data.slice('data: '.length)) as LiveEvent, id });
      }
    });
    incoming.once('close', () => {
      this.ended = true;
      for (const waiter of this.waiters.splice(0)) waiter(null);
    });
  }

  /** `lastEventId`: sent as `Last-Event-ID`, as the browser does when it reconnects by itself. */
  static open(api: Pick<TestApi, 'url'>, cookie: string, lastEventId?: string): Promise<EventReader> {
    const headers: Record<string, string> = { accept: 'text/event-stream', cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) };
    return new Promise((resolve, reject) => {
      const request = get(`${api.url}${LIVE_EVENTS_PATH}`, { headers, agent: false },
        (incoming) => (incoming.statusCode === 200 ? resolve(new EventReader(request, incoming)) : reject(new Error(`stream answered ${incoming.statusCode}`))));
      request.once('error', reject);
    });
  }

  /** The next event and the SSE id its frame carried (null: none, as on a resumed hello). */
  async nextWithId(): Promise<{ event: LiveEvent; id: string | null }> {
    const entry = this.events.shift() ?? (this.ended ? null : await new Promise<{ event: LiveEvent; id: string | null } | null>((resolve) => this.waiters.push(resolve)));
    if (entry === null) throw new Error('stream ended before the next event');
    return entry;
  }

  async next(): Promise<LiveEvent> {
    return (await this.nextWithId()).event;
  }

  close(): void {
    this.request.destroy();
  }

  private push(entry: { event: LiveEvent; id: string | null }): void {
    // The team floor's events (availability follows an agent's leg into a call) are floor-two-instances' subject, not this reader's.
    if (entry.event.type.startsWith('agent.') || entry.event.type.startsWith('floor.')) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(entry);
    else this.events.push(entry);
  }
}
