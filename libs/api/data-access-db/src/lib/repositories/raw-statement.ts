import type { Database } from '../database';

/** What both drivers under drizzle answer to: pg's Pool and PGlite each take `query(text, params)`. */
interface DriverClient {
  query(text: string, params: unknown[]): Promise<unknown>;
}

/**
 * Runs one fixed statement on the driver under drizzle (`$client`), with no drizzle query object around it.
 * For hot webhook statements only, whose text never changes and whose result is not read: per statement,
 * drizzle builds a prepared-query object with its own type-parser table, and on the embedded engine PGlite
 * then copies its whole parser table into a new object to merge that one in (`{...parsers, ...options.parsers}`):
 * measured at ~15 % of the API's CPU on the dial-complete webhook (bench/api/PROFILE.md). Same pool, same
 * connection settings and timeouts (they are the pool's), same engine; `text` uses $1… placeholders.
 */
export function runStatement(database: Database, text: string, params: unknown[]): Promise<unknown> {
  return driverOf(database).query(text, params);
}

function driverOf(database: Database): DriverClient {
  const client = (database.db as unknown as { $client?: DriverClient }).$client;
  // drizzle has set $client on every instance since 0.30; an upgrade that drops it must fail loudly, not silently skip writes.
  if (!client || typeof client.query !== 'function') throw new Error('drizzle instance has no $client: runStatement needs the driver');
  return client;
}
