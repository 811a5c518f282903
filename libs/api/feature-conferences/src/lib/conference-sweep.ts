import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallbackInboxRepository } from '@switchboard/api-data-access-db';
import { ConferenceCallbackProcessor } from './conference-callback-processor';

const BATCH = 100;
/** A pending row younger than this is most likely still being processed by its own request. */
const PENDING_MIN_AGE_SECONDS = 30;
/** A claimed row another instance failed to finish is claimed again after this long. */
const LEASE_SECONDS = 120;

/**
 * Finishes conference callbacks that were stored but not applied (the process died in between, or the
 * database failed half-way): at start-up, then every RECONCILE_INTERVAL_SECONDS, like the call
 * reconciler does for status callbacks. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so
 * several API instances never handle one at the same time.
 */
@Injectable()
export class ConferenceSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ConferenceSweep');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly processor: ConferenceCallbackProcessor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.guarded(() => this.processPending(0));
    const intervalSeconds = this.config.resilience.reconcileIntervalSeconds;
    if (intervalSeconds === 0) return;
    this.timer = setInterval(() => {
      this.running = this.guarded(() => this.processPending(PENDING_MIN_AGE_SECONDS));
    }, intervalSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Applies pending conference callbacks at least `minAgeSeconds` old; returns how many were applied. */
  async processPending(minAgeSeconds: number): Promise<number> {
    let processed = 0;
    for (;;) {
      const rows = await this.inbox.claimPending(minAgeSeconds, LEASE_SECONDS, BATCH, ['conference']);
      for (const row of rows) {
        try {
          await this.processor.processStored(row);
          processed++;
        } catch (error) {
          this.logger.warn(`Pending conference callback ${row.id} failed again: ${(error as Error).message}`);
        }
      }
      if (rows.length < BATCH) break;
    }
    if (processed > 0) this.logger.log(`Applied ${processed} pending conference callback(s)`);
    return processed;
  }

  private async guarded<T>(pass: () => Promise<T>): Promise<T | undefined> {
    try {
      return await pass();
    } catch (error) {
      this.logger.warn(`Conference sweep failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}
