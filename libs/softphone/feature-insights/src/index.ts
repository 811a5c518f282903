export { insightsRoutes } from './lib/insights.routes';
export { InsightsPage } from './lib/insights-page';
export { insightsQueryFrom, insightsQueryParams, overTimeChartConfig, totalsSentence } from './lib/insights-data';
