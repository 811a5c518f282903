import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { QualityRepository, type QualityRetentionOutcome } from '@switchboard/api-data-access-db';
import { RecurringPass } from '@switchboard/api-util-recurring-pass';

const DAY_MS = 86_400_000;

/**
 * Deletes quality records (with their samples), ratings, registration timings and line tests older than
 * QUALITY_RETENTION_DAYS, as often as the other retention sweeps (RETENTION_SWEEP_INTERVAL_SECONDS; 0
 * turns it off). Plain deletes by time: idempotent, safe on several instances at once.
 */
@Injectable()
export class QualityRetention extends RecurringPass {
  private readonly log = new Logger('QualityRetention');

  constructor(private readonly quality: QualityRepository, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    super('QualityRetention', config.retention.sweepIntervalSeconds * 1000);
  }

  protected async pass(now = new Date()): Promise<QualityRetentionOutcome> {
    const outcome = await this.quality.deleteOlderThan(new Date(now.getTime() - this.config.quality.retentionDays * DAY_MS));
    const total = outcome.records + outcome.ratings + outcome.registrations + outcome.lineTests;
    if (total > 0) this.log.log(`Deleted ${outcome.records} quality records, ${outcome.ratings} ratings, ${outcome.registrations} registration timings, ${outcome.lineTests} line tests`);
    return outcome;
  }
}
