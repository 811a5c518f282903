import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { CallRescues } from './rescues.service';

/** How often each instance looks for rescues whose window passed: the customer waits at most this much longer. */
export const RESCUE_EXPIRY_INTERVAL_MS = 1000;

/**
 * Sends customers nobody rejoined to voicemail. Every instance ticks; claimExpired hands each expired
 * rescue to one of them only. The timer is unref'd (it never keeps the process alive) and a tick does
 * not start while the previous one runs.
 */
@Injectable()
export class RescueExpiry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RescueExpiry');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly rescues: CallRescues,
    // The same condition as the listeners: a module built without telephony (CallProgressEvents comes with it) runs no timer.
    @Optional() private readonly progress?: CallProgressEvents,
  ) {}

  onModuleInit(): void {
    if (!this.progress) return;
    this.timer = setInterval(() => void this.tick(), RESCUE_EXPIRY_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; overlapping calls share the pass in progress. */
  tick(now?: Date): Promise<void> {
    this.running ??= this.rescues.expireDue(now)
      .then(() => undefined, (error: unknown) => this.logger.error(`Rescue expiry pass failed: ${(error as Error).message}`))
      .finally(() => { this.running = null; });
    return this.running;
  }
}
