/**
 * Per-key sliding-window rate limiter, in memory (per API instance): at most `max` requests in any
 * `windowMs`; a refused request is not counted. Each key keeps a queue of the timestamps inside the
 * window (oldest first), so a request only drops the timestamps that just left it: O(1) amortised,
 * where filtering every timestamp cost O(requests in window) per request.
 */
export class SlidingWindowLimiter {
  private readonly queues = new Map<string, TimestampQueue>();
  /** Keys are swept when the map grows past this; it then doubles from what is left, so sweeps stay O(1) amortised. */
  private sweepAt = 10_000;

  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** null when allowed (and counted); otherwise the whole seconds (≥ 1) until a request would be allowed. */
  take(key: string): number | null {
    const now = this.now();
    const since = now - this.windowMs;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new TimestampQueue();
      this.queues.set(key, queue);
      if (this.queues.size > this.sweepAt) this.sweep(since);
    }
    queue.dropUpTo(since);
    if (queue.size >= this.max) return Math.max(1, Math.ceil((queue.oldest() + this.windowMs - now) / 1000));
    queue.push(now);
    return null;
  }

  private sweep(since: number): void {
    for (const [key, queue] of this.queues) if (queue.newest() <= since) this.queues.delete(key);
    this.sweepAt = Math.max(10_000, this.queues.size * 2);
  }
}

/** Timestamps in arrival order; dropped ones are skipped by `head` and compacted away in bulk. */
class TimestampQueue {
  private times: number[] = [];
  private head = 0;

  get size(): number { return this.times.length - this.head; }
  oldest(): number { return this.times[this.head]; }
  /** -Infinity when empty, so an empty queue is always sweepable. */
  newest(): number { return this.size === 0 ? -Infinity : this.times[this.times.length - 1]; }

  push(time: number): void { this.times.push(time); }

  dropUpTo(since: number): void {
    const times = this.times;
    let head = this.head;
    while (head < times.length && times[head] <= since) head++;
    if (head === times.length) {
      times.length = 0;
      head = 0;
    } else if (head >= 1024 && head * 2 >= times.length) {
      // Compact once at least half is dead: each timestamp is copied O(1) times overall.
      times.copyWithin(0, head);
      times.length -= head;
      head = 0;
    }
    this.head = head;
  }
}
