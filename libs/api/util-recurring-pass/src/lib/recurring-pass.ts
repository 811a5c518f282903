import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

/**
 * A pass every instance runs on a timer (wrap-ups whose time passed, presence reports gone stale): the
 * store hands each due item to one instance only, so running it everywhere is safe. The timer is unref'd
 * (it never keeps the process alive), a pass does not start while the previous one runs, and a failed
 * pass is logged and the next tick tries again. `intervalMs` 0 starts no timer. Shared by every feature
 * lib that sweeps on a timer (availability, quality retention, rescues), so the rules live in one place.
 */
export abstract class RecurringPass implements OnModuleInit, OnModuleDestroy {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  protected constructor(private readonly name: string, private readonly intervalMs: number) {
    this.logger = new Logger(name);
  }

  /** The work of one pass. */
  protected abstract pass(now?: Date): Promise<unknown>;

  onModuleInit(): void {
    // 0: the pass is off (a setting that disables it); run() still works on demand.
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; overlapping calls share the pass in progress. */
  tick(now?: Date): Promise<void> {
    this.running ??= this.pass(now)
      .then(() => undefined, (error: unknown) => this.logger.error(`${this.name} pass failed: ${(error as Error).message}`))
      .finally(() => { this.running = null; });
    return this.running;
  }
}
