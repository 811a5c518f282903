import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterUnavailableError } from './rate-limiter';
import { RedisRateLimiter } from './redis-rate-limiter';

/**
 * Against the real Redis every development machine and CI runs (TEST_REDIS_URL, default 127.0.0.1:6379):
 * two limiters, two connections, are two API instances. Not skipped without Redis: it fails, saying what to start.
 */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('RedisRateLimiter on a real Redis (two instances)', () => {
  const warnings: string[] = [];
  const log = { warn: (m: string) => warnings.push(m) };
  let raw: Redis;
  let keyPrefix: string;
  let a: RedisRateLimiter;
  let b: RedisRateLimiter;

  beforeAll(async () => {
    raw = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    let cause = '';
    raw.on('error', (error: Error) => (cause = error.message));
    try {
      await raw.connect();
      await raw.ping();
    } catch (error) {
      raw.disconnect();
      throw new Error(`This spec needs Redis at ${REDIS_URL} (${cause || (error as Error).message}). Start one (e.g. \`docker run -p 6379:6379 redis:7\`) or point TEST_REDIS_URL at one.`);
    }
  });
  beforeEach(() => {
    // A prefix per test: nothing one test counts is seen by another, or by another run on the same Redis.
    keyPrefix = `switchboard-test-${randomBytes(4).toString('hex')}:`;
    a = new RedisRateLimiter({ url: REDIS_URL, keyPrefix, log });
    b = new RedisRateLimiter({ url: REDIS_URL, keyPrefix, log });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });
  afterAll(() => raw?.disconnect());

  it('lets exactly max through of a parallel burst from two instances, and refusals do not count', async () => {
    const limit = { max: 7, windowSeconds: 60 };
    const waits = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).take('agent-1', limit)));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(7);
    for (const wait of waits.filter((w) => w !== 0)) {
      expect(wait).toBeGreaterThanOrEqual(59);
      expect(wait).toBeLessThanOrEqual(60);
    }
    // Only the 7 takes let through are stored, under the configured prefix.
    expect(await raw.zcard(`${keyPrefix}rate:agent-1`)).toBe(7);
    // Another key has its own limit.
    expect(await b.take('agent-2', limit)).toBe(0);
  });

  it('answers the whole seconds until the oldest take leaves the window, by the server\'s clock', async () => {
    const limit = { max: 2, windowSeconds: 30 };
    expect(await a.take('k', limit)).toBe(0);
    expect(await b.take('k', limit)).toBe(0);
    // Move the first take 20.5 s into the past: it leaves the window in 9.5 s, so 10 whole seconds.
    const key = `${keyPrefix}rate:k`;
    const [oldest, score] = await raw.zrange(key, 0, 0, 'WITHSCORES');
    await raw.zadd(key, Number(score) - 20_500, oldest);
    expect(await a.take('k', limit)).toBe(10);
    // A whole window in the past: out of it, so one more passes and the next waits for the other take.
    await raw.zadd(key, Number(score) - 30_000, oldest);
    expect(await b.take('k', limit)).toBe(0);
    const wait = await a.take('k', limit);
    expect(wait).toBeGreaterThanOrEqual(29);
    expect(wait).toBeLessThanOrEqual(30);
  });

  it('expires an idle key with its window', async () => {
    const limit = { max: 3, windowSeconds: 60 };
    await a.take('idle', limit);
    const ttl = await raw.pttl(`${keyPrefix}rate:idle`);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // A 1 s window really goes away (Redis expires it by itself).
    await a.take('short', { max: 1, windowSeconds: 1 });
    expect(await raw.exists(`${keyPrefix}rate:short`)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await raw.exists(`${keyPrefix}rate:short`)).toBe(0);
    expect(await b.take('short', { max: 1, windowSeconds: 1 })).toBe(0);
  });

  it('keeps counting after Redis forgets the script (a restart): the script is loaded again, the count kept', async () => {
    const limit = { max: 3, windowSeconds: 60 };
    expect(await Promise.all([a.take('k', limit), b.take('k', limit)])).toEqual([0, 0]);
    await raw.script('FLUSH');
    const waits = await Promise.all([a.take('k', limit), b.take('k', limit), a.take('k', limit), b.take('k', limit)]);
    expect(waits.filter((wait) => wait === 0)).toHaveLength(1);
    expect(await raw.zcard(`${keyPrefix}rate:k`)).toBe(3);
  });

  it('fails closed when Redis does not answer: a RateLimiterUnavailableError, without the password', async () => {
    const down = new RedisRateLimiter({ url: 'redis://:secret@127.0.0.1:1', keyPrefix, log });
    try {
      const refusal = await down.take('k', { max: 5, windowSeconds: 60 }).then(() => null, (error: unknown) => error);
      expect(refusal).toBeInstanceOf(RateLimiterUnavailableError);
      expect((refusal as Error).message).toContain('redis://127.0.0.1:1');
      expect((refusal as Error).message).not.toContain('secret');
      expect(warnings.join('\n')).not.toContain('secret');
    } finally {
      await down.close();
    }
  });
});
