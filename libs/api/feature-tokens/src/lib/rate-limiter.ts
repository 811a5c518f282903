import type { RateLimit } from '@switchboard/api-data-access-db';

export type { RateLimit };

/**
 * Counts takes per key in a sliding window. One contract for every implementation (the in-memory one of
 * the embedded engine, Redis, the database function): `take` resolves 0 when the take is let through (and
 * counts from now on), otherwise the whole seconds (≥ 1) until one would be; a refused take does not count.
 * It rejects with {@link RateLimiterUnavailableError} when it cannot decide, and the caller refuses then:
 * a limiter that cannot count never lets requests through unlimited.
 */
export interface RateLimiter {
  take(key: string, limit: RateLimit): Promise<number>;
  /** Releases connections and timers at shutdown. */
  close?(): Promise<void>;
}

/** Nest's injection token of the {@link RateLimiter} chosen at boot (see `createRateLimiter`). */
export const RATE_LIMITER = Symbol('RATE_LIMITER');

/** The limiter's store could not be reached or did not answer; the message says which and is safe to log. */
export class RateLimiterUnavailableError extends Error {
  override readonly name = 'RateLimiterUnavailableError';
}
