import { Module } from '@nestjs/common';

/** The supervisors' Insights report over the quality records (issue 14, item 3), and its CSV export. */
@Module({})
export class InsightsModule {}
