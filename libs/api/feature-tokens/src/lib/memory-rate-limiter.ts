import type { RateLimit, RateLimiter } from './rate-limiter';

/**
 * The takes let through of one key, oldest first: those before `head` have left the window. A head index
 * rather than shift(), which copies the array: with a high limit (the bench's 100 000 a second) a key holds
 * many takes, and each take would pay for all of them.
 */
interface KeyLog {
  takenAt: number[];
  head: number;
  windowMs: number;
}

export interface MemoryRateLimiterOptions {
  /** Milliseconds on a monotonic clock; tests hand in a fake. */
  readonly now?: () => number;
  /** Key count that triggers a sweep of idle keys however recent the last one (default 10 000). */
  readonly sweepAtKeys?: number;
}

/**
 * An exact sliding log in this process's memory: for the embedded engine only, which serves one process
 * (the database holds a pid lock on its data directory), so there is one instance and one count. With
 * several instances each would let the limit through, hence Redis or the database for those.
 *
 * Memory stays bounded without a timer: each take trims its own key, and a sweep drops every key whose
 * newest take has left its window — once a window has passed since the last sweep, or sooner when the
 * key count reaches a threshold that grows with the live keys (so a sweep costs amortised O(1) per take).
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly logs = new Map<string, KeyLog>();
  private readonly now: () => number;
  private sweepAtKeys: number;
  private readonly minSweepAtKeys: number;
  private lastSweep: number;
  private longestWindowMs = 0;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.minSweepAtKeys = this.sweepAtKeys = options.sweepAtKeys ?? 10_000;
    this.lastSweep = this.now();
  }

  take(key: string, limit: RateLimit): Promise<number> {
    try {
      return Promise.resolve(this.takeNow(key, limit));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Keys currently held (tests, diagnostics). */
  get size(): number {
    return this.logs.size;
  }

  private takeNow(key: string, limit: RateLimit): number {
    if (!Number.isInteger(limit.max) || limit.max < 1 || !(limit.windowSeconds > 0)) {
      throw new Error(`A rate limit needs max ≥ 1 and a window > 0 s (got max ${limit.max}, window ${limit.windowSeconds} s)`);
    }
    const now = this.now();
    const windowMs = limit.windowSeconds * 1000;
    this.longestWindowMs = Math.max(this.longestWindowMs, windowMs);
    this.maybeSweep(now);
    let log = this.logs.get(key);
    if (log === undefined) {
      log = { takenAt: [], head: 0, windowMs };
      this.logs.set(key, log);
    }
    log.windowMs = windowMs;
    const takenAt = log.takenAt;
    // A take exactly one window old is out of it, as in the database function (`oldest > at - window`).
    while (log.head < takenAt.length && takenAt[log.head] <= now - windowMs) log.head++;
    // Compacted once half is dead: amortised O(1) per take, and the array at most twice the live takes.
    if (log.head >= 64 && 2 * log.head >= takenAt.length) {
      log.takenAt = takenAt.slice(log.head);
      log.head = 0;
    }
    const live = log.takenAt.length - log.head;
    if (live >= limit.max) {
      // The oldest take that keeps the key at its max: once it leaves the window, one more may pass.
      const blocking = log.takenAt[log.takenAt.length - limit.max];
      return Math.max(1, Math.ceil((blocking + windowMs - now) / 1000));
    }
    log.takenAt.push(now);
    return 0;
  }

  private maybeSweep(now: number): void {
    if (this.logs.size < this.sweepAtKeys && now - this.lastSweep < this.longestWindowMs) return;
    for (const [key, log] of this.logs) {
      const newest = log.takenAt[log.takenAt.length - 1];
      if (newest === undefined || newest <= now - log.windowMs) this.logs.delete(key);
    }
    this.lastSweep = now;
    this.sweepAtKeys = Math.max(this.minSweepAtKeys, 2 * this.logs.size);
  }
}
