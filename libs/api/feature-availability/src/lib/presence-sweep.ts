import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AgentPresenceService } from './agent-presence.service';

/** How often each instance looks for reports that went stale: an agent is seen unreachable at most this much late. */
export const PRESENCE_SWEEP_INTERVAL_MS = 1000;

/**
 * Makes agents whose softphone stopped reporting unreachable, and says so. Every instance ticks; the
 * store answers each change to one of them only. Unref'd, and a tick does not start while the previous
 * one runs, as WrapUpExpiry.
 */
@Injectable()
export class PresenceSweep implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PresenceSweep');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly presence: AgentPresenceService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), PRESENCE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; overlapping calls share the pass in progress. */
  tick(now?: Date): Promise<void> {
    this.running ??= this.presence.sweep(now)
      .then(() => undefined, (error: unknown) => this.logger.error(`Presence sweep failed: ${(error as Error).message}`))
      .finally(() => { this.running = null; });
    return this.running;
  }
}
