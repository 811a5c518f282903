/**
 * Per-key sliding-window rate limiter, in memory (per API instance). Keeps the timestamps of the
 * requests inside the window; a refused request is not counted.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** null when allowed (and counted); otherwise the seconds until the next request would be allowed. */
  take(key: string): number | null {
    const now = this.now();
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.max) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(since);
    return null;
  }

  private prune(since: number): void {
    for (const [key, times] of this.hits) if (times[times.length - 1] <= since) this.hits.delete(key);
  }
}
