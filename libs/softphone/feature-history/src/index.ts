export { SoftphoneHistory, DEFAULT_HISTORY_PAGE_SIZE } from './lib/softphone-history';
export { historyRoutes } from './lib/history.routes';
export { QualityDetail, openQualityDetail, legHeading, type QualityDetailData } from './lib/quality-detail';
