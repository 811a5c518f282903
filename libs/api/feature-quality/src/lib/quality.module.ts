import { Module } from '@nestjs/common';

/**
 * Call quality you can look back on (issue 14): per-leg quality records, ratings, registration timings,
 * line tests, their retention, and Twilio's Call Summary. (Filled in by the quality work.)
 */
@Module({})
export class QualityModule {}
