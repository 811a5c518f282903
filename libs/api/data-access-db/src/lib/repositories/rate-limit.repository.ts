import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATABASE, Database, rowsOf } from '../database';

export interface RateLimit {
  /** Takes let through per key in any window. */
  readonly max: number;
  readonly windowSeconds: number;
}

/**
 * Sliding-window rate limits kept in the database, so every API instance counts against the same limit
 * (in memory, N instances would let N times the limit through). One statement per take: migration
 * 0012's `rate_limit_take` locks the key's row, decides and records under that lock, so parallel takes
 * on any number of instances cannot both pass with one slot left.
 */
@Injectable()
export class RateLimitRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Takes one slot of `key`'s limit: 0 when the take is let through (and counts from now on), otherwise
   * the whole seconds (≥ 1) until one would be, by the database's clock. A refused take does not count.
   */
  async take(key: string, limit: RateLimit): Promise<number> {
    const result = await this.database.db.execute(
      sql`SELECT rate_limit_take(${key}, ${limit.max}::int, ${limit.windowSeconds}::int) AS wait`);
    const [row] = rowsOf(result) as Array<{ wait: number }>;
    return Number(row.wait);
  }
}
