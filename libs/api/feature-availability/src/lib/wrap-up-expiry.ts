import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AgentAvailabilityService } from './availability.service';

/** How often each instance looks for wrap-ups whose time passed: an agent stays in wrap-up at most this much longer. */
export const WRAP_UP_EXPIRY_INTERVAL_MS = 1000;

/**
 * Ends wrap-ups after WRAP_UP_SECONDS. Every instance ticks; the repository hands each due wrap-up to one
 * of them only, so the agent is told once. The timer is unref'd (it never keeps the process alive) and a
 * tick does not start while the previous one runs. Nothing enters wrap-up until the call flow calls
 * AgentAvailabilityService.onCallEnded; until then each tick finds nothing (one indexed query).
 */
@Injectable()
export class WrapUpExpiry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WrapUpExpiry');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly availability: AgentAvailabilityService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), WRAP_UP_EXPIRY_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; overlapping calls share the pass in progress. */
  tick(now?: Date): Promise<void> {
    this.running ??= this.availability.endDueWrapUps(now)
      .then(() => undefined, (error: unknown) => this.logger.error(`Wrap-up expiry pass failed: ${(error as Error).message}`))
      .finally(() => { this.running = null; });
    return this.running;
  }
}
