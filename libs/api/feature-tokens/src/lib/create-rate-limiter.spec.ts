import type { RateLimitRepository } from '@switchboard/api-data-access-db';
import { createRateLimiter, rateLimiterKind } from './create-rate-limiter';
import { MemoryRateLimiter } from './memory-rate-limiter';
import { RedisRateLimiter } from './redis-rate-limiter';

describe('the rate limiter chosen at boot', () => {
  const embedded = { url: null, dataDir: 'memory://' };
  const postgres = { url: 'postgres://postgres@127.0.0.1:5432/test', dataDir: 'memory://' };
  const redis = { url: 'redis://127.0.0.1:6379', keyPrefix: 'switchboard:' };
  const database = { take: async () => 0 } as unknown as RateLimitRepository;

  it('counts in memory on the embedded engine (one process), with or without Redis', () => {
    expect(rateLimiterKind({ database: embedded, redis: null })).toBe('memory');
    expect(rateLimiterKind({ database: embedded, redis })).toBe('memory');
    expect(createRateLimiter({ database: embedded, redis: null }, database)).toBeInstanceOf(MemoryRateLimiter);
  });

  it('counts in Redis on Postgres when the instances share one, else in the database', async () => {
    expect(rateLimiterKind({ database: postgres, redis })).toBe('redis');
    expect(rateLimiterKind({ database: postgres, redis: null })).toBe('database');
    expect(createRateLimiter({ database: postgres, redis: null }, database)).toBe(database);
    const limiter = createRateLimiter({ database: postgres, redis }, database);
    expect(limiter).toBeInstanceOf(RedisRateLimiter);
    await limiter.close?.();
  });
});
