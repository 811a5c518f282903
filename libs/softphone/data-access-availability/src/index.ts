/**
 * @switchboard/softphone-data-access-availability: the agent's availability and reachability (issue 13).
 *
 * - provideAvailabilityState(): the `availability` slice, its effects and the presence reporter. Ports:
 *   AVAILABILITY_PORT, PRESENCE_PORT, AVAILABILITY_LIVE_EVENTS_PORT (provideAvailabilityApi() in data-access-api).
 * - Dispatch AvailabilityMenuActions (availableChosen, awayChosen({ reason }), wrapUpDone({ disposition, note }), problemDismissed).
 * - Read selectAvailabilityMenuView, selectWrapUpView, selectUnreachableView, selectAvailabilityAnnouncementSource.
 */
export { provideAvailabilityState } from './lib/provide-availability-state';
export {
  AVAILABILITY_LIVE_EVENTS_PORT,
  AVAILABILITY_PORT,
  AVAILABILITY_STATE_CONFIG,
  PRESENCE_PAGE,
  PRESENCE_PORT,
  PRESENCE_TAB_ID,
  isAvailabilityProblem,
  toAvailabilityProblem,
  type AvailabilityLiveEventsPort,
  type AvailabilityPort,
  type AvailabilityProblem,
  type AvailabilityStateConfig,
  type PresencePage,
  type PresencePort,
} from './lib/availability.ports';
export { AvailabilityApiEvents, AvailabilityLiveEvents, AvailabilityMenuActions, PresenceReportEvents } from './lib/availability.actions';
export { AVAILABILITY_SYNC_TRANSITIONS, CHOICES_BY_STATE, type AvailabilitySync } from './lib/availability.machine';
export {
  availabilityFeature,
  initialOwnAvailabilityState,
  type AvailabilityChangeNote,
  type OwnAvailabilityState,
  type RefusedAvailabilityMove,
} from './lib/availability.feature';
export {
  UNREACHABLE_NEXT_STEP,
  selectAvailabilityAnnouncementSource,
  selectAvailabilityMenuView,
  selectUnreachableView,
  selectWrapUpView,
  stateWords,
  type AvailabilityAnnouncementSource,
  type AvailabilityMenuView,
  type AwayOptionView,
  type UnreachableView,
  type WrapUpView,
} from './lib/availability.selectors';
export { PRESENCE_DEVICE_BY_PHASE, selectPresenceCall, selectPresenceDevice } from './lib/presence-reporter.effects';
