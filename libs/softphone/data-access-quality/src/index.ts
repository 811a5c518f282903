/**
 * @switchboard/softphone-data-access-quality (issue 14): the per-call quality recorder and record sending,
 * the after-call rating, the line test, and the API client for quality records, line tests and Insights.
 */
export { QualityApi, insightsParams } from './lib/quality-api';
export { CallRatingService, type RatingRequest } from './lib/call-rating.service';
export { LineTestService, type LineTestProgress, type LineTestPhase } from './lib/line-test.service';
