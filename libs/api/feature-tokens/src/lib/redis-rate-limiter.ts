import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { redactRedisUrl } from '@switchboard/api-data-access-config';
import { RateLimiterUnavailableError, type RateLimit, type RateLimiter } from './rate-limiter';

/**
 * One take, atomic on the server (a script runs alone): trim the key's sorted set (score = time of a take
 * let through, in ms) to the window, count, add when under max, and expire the key with its window so an
 * idle key costs nothing. The clock is Redis's (TIME), so instances with skewed clocks agree. A take
 * exactly one window old is out of it, as in the database function. Returns 0 or the wait in whole
 * seconds (≥ 1). Members are unique per take (instance id + counter), so two takes in one ms both count.
 */
const TAKE_SCRIPT = `
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= max then
  local blocking = redis.call('ZRANGE', KEYS[1], count - max, count - max, 'WITHSCORES')
  local wait = math.ceil((tonumber(blocking[2]) + window - now) / 1000)
  if wait < 1 then wait = 1 end
  return wait
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

/** The part of an ioredis connection the limiter uses; unit tests may hand in a fake. */
export interface RateLimitConnection {
  readonly status: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the listener type of ioredis and of EventEmitter
  on(event: string, listener: (...args: any[]) => void): unknown;
  takeRateLimit(key: string, max: number, windowMs: number, member: string): Promise<number>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

export interface RedisRateLimiterLog {
  warn(message: string): void;
}

export interface RedisRateLimiterOptions {
  /** REDIS_URL as validated by the config (may hold a password: only its redacted form is ever logged). */
  readonly url: string;
  /** REDIS_KEY_PREFIX; the limiter's keys are `${keyPrefix}rate:${key}`. */
  readonly keyPrefix: string;
  readonly log: RedisRateLimiterLog;
  /** Opens the connection; defaults to ioredis with the script defined on it. */
  readonly connect?: (options: RedisOptions) => RateLimitConnection;
}

function connectIoredis(url: string, options: RedisOptions): RateLimitConnection {
  const redis = new Redis(url, options);
  // defineCommand sends EVALSHA and falls back to EVAL once after a Redis restart (NOSCRIPT).
  redis.defineCommand('takeRateLimit', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  return redis as unknown as RateLimitConnection;
}

/**
 * The rate limiter of several API instances sharing a Redis (REDIS_URL): one script call per take, the
 * count shared by all instances. Fails closed: when Redis does not answer, `take` rejects with
 * {@link RateLimiterUnavailableError} and the route refuses with 503, never letting requests through.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly connection: RateLimitConnection;
  private readonly where: string;
  private readonly memberPrefix = randomBytes(6).toString('hex');
  private taken = 0;
  private closing = false;

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.where = redactRedisUrl(options.url);
    const connect = options.connect ?? ((redisOptions) => connectIoredis(options.url, redisOptions));
    // The live-event publisher's settings: a take waits through at most two reconnect attempts, then the
    // request hears 503 instead of hanging while Redis is away; a stalled server times out the same way.
    // Auto-pipelining: the takes of one event-loop turn go out in one socket write (the profile showed
    // one write per take as most of the limiter's cost under load); each still runs alone on the server.
    this.connection = connect({
      enableReadyCheck: true, connectTimeout: 5000, maxRetriesPerRequest: 2, commandTimeout: 2000, enableAutoPipelining: true,
      connectionName: `${options.keyPrefix}rate-limits`,
    });
    let lastError: string | null = null;
    this.connection.on('ready', () => {
      lastError = null;
    });
    // ioredis repeats an error at every retry: logged once each until the connection is back.
    this.connection.on('error', (error: unknown) => {
      const message = messageOf(error);
      if (message === lastError || this.closing) return;
      lastError = message;
      this.options.log.warn(`Rate limits: Redis at ${this.where}: ${message}; token requests are refused (503) until it answers`);
    });
  }

  async take(key: string, limit: RateLimit): Promise<number> {
    if (!Number.isInteger(limit.max) || limit.max < 1 || !(limit.windowSeconds > 0)) {
      throw new Error(`A rate limit needs max ≥ 1 and a window > 0 s (got max ${limit.max}, window ${limit.windowSeconds} s)`);
    }
    if (this.closing) throw new RateLimiterUnavailableError('The Redis rate limiter is closed');
    const member = `${this.memberPrefix}:${(this.taken++).toString(36)}`;
    try {
      const wait = await this.connection.takeRateLimit(`${this.options.keyPrefix}rate:${key}`, limit.max, Math.round(limit.windowSeconds * 1000), member);
      return Number(wait);
    } catch (error) {
      throw new RateLimiterUnavailableError(`Redis at ${this.where} did not answer the rate limit (${messageOf(error)})`);
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.connection.status !== 'ready') return this.connection.disconnect();
    try {
      await this.connection.quit();
    } catch {
      this.connection.disconnect();
    }
  }
}

/** The error's message only: never the stack or the options, which hold the URL. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
