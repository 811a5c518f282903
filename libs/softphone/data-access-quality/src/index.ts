/**
 * @switchboard/softphone-data-access-quality (issue 14): the per-call quality recorder and record sending,
 * the after-call rating, the line test, and the API client for quality records, line tests and Insights.
 *
 * App shell: provideCallQuality() (records calls, sends records, retries the outbox).
 * UI: QualityApi (history detail, Insights, CSV link), CallRatingService (pending → rate/dismiss),
 * LineTestService (run → progress; running, lastTest, due).
 */
export { QualityApi, insightsParams } from './lib/quality-api';
export { CallRatingService, type RatingRequest } from './lib/call-rating.service';
export {
  LineTestService,
  LINE_TEST_EXPECTED_SECONDS,
  LINE_TEST_SCHEDULER,
  lineTestInputFromFailure,
  lineTestInputFromReport,
  type LineTestPhase,
  type LineTestProgress,
} from './lib/line-test.service';
export { DEFAULT_LINE_TEST_MAX_AGE_HOURS, lineTestFailureMessage, lineTestOutcome } from './lib/line-test-words';
export { provideCallQuality } from './lib/provide-call-quality';
export { QualityRecorder } from './lib/recording/quality-recorder';
export { QualityOutbox, OUTBOX_CAPACITY, OUTBOX_STORAGE_KEY, KEEPALIVE_MAX_BYTES, type OutboxEntry } from './lib/sending/quality-outbox';
export { QUALITY_BROWSER, type QualityBrowser, type QualityPageEvent } from './lib/sending/quality-browser';
