import { Inject, Injectable } from '@nestjs/common';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { bigserial, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { DATABASE, Database, rowsOf } from '../database';
import { agents } from '../schema';

/**
 * Drizzle's view of migration 0004's table: one row per sign-in attempt that was not (yet) a success.
 * Kept in the database, not in memory, so the limits hold across API instances.
 */
export const signInFailures = pgTable('sign_in_failures', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  identity: text('identity').notNull(),
  source: text('source').notNull(),
  failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
});

export interface SignInLimit {
  readonly maxFailures: number;
  readonly windowSeconds: number;
}

/**
 * Sign-in attempts per identity and per source address. Every time is the database's clock, so
 * instances with skewed clocks still agree on the window.
 */
@Injectable()
export class SignInFailuresRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Records an attempt before its password is checked (so parallel attempts see each other); returns its id. */
  async record(identity: string, source: string): Promise<number> {
    const [row] = await this.database.db.insert(signInFailures).values({ identity, source }).returning({ id: signInFailures.id });
    return row.id;
  }

  /**
   * Seconds until attempt `attemptId` would be within the limit, or 0 when it is now: with `maxFailures`
   * earlier attempts in the window it must wait until enough of them have left the window.
   */
  async secondsUntilAllowed(attemptId: number, scope: { identity: string } | { source: string }, limit: SignInLimit): Promise<number> {
    const match: SQL = 'identity' in scope ? eq(signInFailures.identity, scope.identity) : eq(signInFailures.source, scope.source);
    const window = sql`${limit.windowSeconds}::int * interval '1 second'`;
    // Blocked while `maxFailures` earlier attempts are in the window; allowed again once the
    // maxFailures-th newest of them leaves it. No such attempt: allowed now.
    const result = await this.database.db.execute(sql`
      SELECT ceil(extract(epoch FROM (failed_at + ${window} - now())))::int AS wait FROM (
        SELECT ${signInFailures.failedAt} AS failed_at,
          row_number() OVER (ORDER BY ${signInFailures.failedAt} DESC, ${signInFailures.id} DESC) AS newest_rank
        FROM ${signInFailures}
        WHERE ${match} AND ${signInFailures.id} < ${attemptId} AND ${signInFailures.failedAt} > now() - ${window}
      ) AS earlier
      WHERE newest_rank = ${limit.maxFailures}::int`);
    const [row] = rowsOf(result) as Array<{ wait: number | string }>;
    return row ? Math.max(1, Number(row.wait)) : 0;
  }

  /** Forgets one attempt: one refused by the limit does not count, or a lockout would never end. */
  async forget(attemptId: number): Promise<void> {
    await this.database.db.delete(signInFailures).where(eq(signInFailures.id, attemptId));
  }

  /** A successful sign-in clears its identity's failures (not its source's: one's own account must not reset those). */
  async clearIdentity(identity: string): Promise<void> {
    await this.database.db.delete(signInFailures).where(eq(signInFailures.identity, identity));
  }

  /** Drops attempts older than the window: they no longer count. */
  async prune(windowSeconds: number): Promise<void> {
    await this.database.db.delete(signInFailures).where(sql`${signInFailures.failedAt} <= now() - ${windowSeconds}::int * interval '1 second'`);
  }

  /**
   * Replaces an agent's password hash with a stronger one made at sign-in, only if it is still the hash
   * that was verified (a password changed meanwhile wins). Sessions are kept: the password is the same.
   */
  async upgradePasswordHash(agentId: string, verifiedHash: string, strongerHash: string): Promise<boolean> {
    const rows = await this.database.db.update(agents).set({ passwordHash: strongerHash })
      .where(and(eq(agents.id, agentId), eq(agents.passwordHash, verifiedHash))).returning({ id: agents.id });
    return rows.length > 0;
  }
}
