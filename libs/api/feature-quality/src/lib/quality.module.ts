import { Module } from '@nestjs/common';
import { QualityRepository } from '@switchboard/api-data-access-db';
import { BeaconBodies } from './beacon-body';
import { QualityController } from './quality.controller';
import { QualityRetention } from './quality-retention';
import { QualityService } from './quality.service';
import { TwilioSummaryRefresher } from './twilio-summary-refresher';

/**
 * Call quality you can look back on (issue 14): per-leg quality records (POST once per leg, also as a
 * sendBeacon text body), ratings, registration timings, line tests, reading a call's legs, their
 * retention (QUALITY_RETENTION_DAYS), and Twilio's Call Summary kept beside each record.
 */
@Module({
  controllers: [QualityController],
  providers: [QualityRepository, QualityService, TwilioSummaryRefresher, QualityRetention, BeaconBodies],
})
export class QualityModule {}
