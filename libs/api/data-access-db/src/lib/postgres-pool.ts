import { Logger } from '@nestjs/common';
import type { Pool, PoolConfig } from 'pg';

export interface PostgresPoolOptions {
  readonly url: string;
  readonly searchPath?: string;
  /** Give up opening a connection after this long, so a dead server fails a request instead of hanging it. */
  readonly connectTimeoutMs?: number;
  /** The server cancels a statement running longer than this; the client gives up a little later. */
  readonly statementTimeoutMs?: number;
}

/** What the API's connections call themselves in pg_stat_activity (tests find their own connections by it). */
export function applicationNameFor(searchPath: string | undefined): string {
  return searchPath ? `switchboard-api:${searchPath}` : 'switchboard-api';
}

/** Client-side margin over the server's statement_timeout: the server's cancel is the one that normally fires. */
const CLIENT_MARGIN_MS = 2_000;

/**
 * The pg Pool the API runs on. A pool emits 'error' when an idle connection dies (the server restarted,
 * pg_terminate_backend, a network cut); with no listener Node treats it as an uncaught error and the whole
 * process exits. The listener logs it; the pool drops that connection and opens a new one on demand.
 */
export async function createPostgresPool(options: PostgresPoolOptions, onConnectionError: (error: Error) => void = () => undefined): Promise<Pool> {
  const { Pool } = await import('pg');
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  const config: PoolConfig = {
    connectionString: options.url,
    max: 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: statementTimeoutMs,
    // A stuck client (the server never answers at all) is let go by the client side too.
    query_timeout: statementTimeoutMs + CLIENT_MARGIN_MS,
    // A transaction left open by a crashed handler must not hold its locks for ever.
    idle_in_transaction_session_timeout: statementTimeoutMs + CLIENT_MARGIN_MS,
    application_name: applicationNameFor(options.searchPath),
    keepAlive: true,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  };
  const pool = new Pool(config);
  const logger = new Logger('Database');
  pool.on('error', (error) => {
    logger.warn(`A pooled Postgres connection failed and was dropped (${error.message}); the next query opens a new one`);
    onConnectionError(error);
  });
  // The pool's listener covers idle connections only. One checked out but between two queries (inside a
  // transaction, or just before its release) emits 'error' on the client itself, and with no listener there
  // the process exits: pg_terminate_backend under load ended the API this way. The query that uses it next
  // fails (the request answers 503 or safe TwiML and logs why), and the pool drops it on release.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.debug(`A Postgres connection in use failed (${error.message}); its request fails and the pool drops it`));
  });
  return pool;
}
