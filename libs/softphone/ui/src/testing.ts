/**
 * @switchboard/softphone-ui/testing: component harnesses (Angular CDK) for the softphone's
 * presentational components, for specs in this library and in feature-* containers.
 */
export {
  CallControlsHarness,
  ConnectionBadgeHarness,
  DialerHarness,
  IncomingCallCardHarness,
  QualityIndicatorHarness,
  type IncomingCallCardFilters,
  type QualityStats,
} from './lib/testing/softphone-harnesses';
export {
  CallControlBarHarness,
  ParticipantRowHarness,
  ParticipantsListHarness,
  RejoinBannerHarness,
  TransferDialogHarness,
} from './lib/testing/call-control-harnesses';
export { lineTest, qualityRecord, sampleColumns } from './lib/quality/quality-fixtures';
