import type { SandboxClock } from './telephony';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * A clock that only moves when told to. `runUntilSettled(promise)` jumps from timer to timer
 * (letting promise chains run in between) until the promise settles, so a test of a 30 s ring
 * timeout or a 5 s Gather timeout takes no real time.
 */
export class FakeClock implements SandboxClock {
  private current: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 10, 24, 12, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = {
        at: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', cancel);
          resolve();
        },
      };
      const cancel = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.timers.push(timer);
    });
  }

  /** Pending timers, for assertions. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flush();
    for (;;) {
      const next = this.nextTimer();
      if (!next || next.at > target) break;
      this.fire(next);
      await flush();
    }
    this.current = target;
    await flush();
  }

  /** Fires timers one by one until `promise` settles; fails if nothing is left to fire. */
  async runUntilSettled<T>(promise: Promise<T>, maxSteps = 100_000): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    for (let step = 0; step < maxSteps; step++) {
      await flush();
      if (settled) return watched;
      const next = this.nextTimer();
      if (!next) {
        // Maybe real I/O (a file write) is still running: give it a moment of real time.
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      this.fire(next);
    }
    throw new Error('FakeClock.runUntilSettled: the promise never settled');
  }

  private nextTimer(): Timer | undefined {
    return [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.current = Math.max(this.current, timer.at);
    timer.resolve();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
