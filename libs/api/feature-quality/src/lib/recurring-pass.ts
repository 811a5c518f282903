import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

/**
 * A copy of api-feature-availability's RecurringPass (not exported from that lib; a feature lib may not
 * reach into another's internals). To be replaced by an import once the lead exports or moves it.
 * The timer is unref'd, a pass does not start while the previous one runs, a failed pass is logged and
 * the next tick tries again. `intervalMs` 0 starts no timer.
 */
export abstract class RecurringPass implements OnModuleInit, OnModuleDestroy {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  protected constructor(private readonly name: string, private readonly intervalMs: number) {
    this.logger = new Logger(name);
  }

  protected abstract pass(now?: Date): Promise<unknown>;

  onModuleInit(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  tick(now?: Date): Promise<void> {
    this.running ??= this.pass(now)
      .then(() => undefined, (error: unknown) => this.logger.error(`${this.name} pass failed: ${(error as Error).message}`))
      .finally(() => { this.running = null; });
    return this.running;
  }
}
