import { Logger } from '@nestjs/common';
import type { AppConfig } from '@switchboard/api-data-access-config';
import type { RateLimitRepository } from '@switchboard/api-data-access-db';
import { MemoryRateLimiter } from './memory-rate-limiter';
import type { RateLimiter } from './rate-limiter';
import { RedisRateLimiter } from './redis-rate-limiter';

const logger = new Logger('RateLimits');

export type RateLimiterKind = 'memory' | 'redis' | 'database';

/**
 * Chosen once at boot, the cheapest store that still counts every instance's takes:
 * - the embedded engine (no DATABASE_URL) serves one process, so memory is exact and costs no statement;
 * - Postgres with Redis (REDIS_URL): the instances already share Redis, one script call per take;
 * - Postgres alone: the instances share only the database, so its `rate_limit_take` function.
 */
export function rateLimiterKind(config: Pick<AppConfig, 'database' | 'redis'>): RateLimiterKind {
  if (config.database.url === null) return 'memory';
  return config.redis === null ? 'database' : 'redis';
}

export function createRateLimiter(config: Pick<AppConfig, 'database' | 'redis'>, database: RateLimitRepository): RateLimiter {
  const kind = rateLimiterKind(config);
  if (kind === 'memory') return new MemoryRateLimiter();
  if (kind === 'database' || config.redis === null) return database;
  return new RedisRateLimiter({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, log: logger });
}
