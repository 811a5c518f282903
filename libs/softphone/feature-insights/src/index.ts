export { insightsRoutes } from './lib/insights.routes';
