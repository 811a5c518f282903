import { Module } from '@nestjs/common';
import { InsightsRepository } from '@switchboard/api-data-access-db';
import { InsightsController } from './insights.controller';

/**
 * The supervisors' Insights report over the quality records (issue 14, item 3), and its CSV export.
 * Read-only: feature-quality writes the records. The database and the config come from their global modules.
 */
@Module({
  controllers: [InsightsController],
  providers: [InsightsRepository],
})
export class InsightsModule {}
