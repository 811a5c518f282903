export * from './lib/insights.module';
export { InsightsController } from './lib/insights.controller';
export { InsightsQueryDto, toInsightsFilter, todayIn, INSIGHTS_MAX_DAYS, INSIGHTS_DEFAULT_DAYS } from './lib/insights-query';
export { csvCell, csvLine, INSIGHTS_CSV_HEADER } from './lib/insights-csv';
