export * from './lib/live-events.module';
export { LiveEventHub, LIVE_EVENT_DEFAULTS, type LiveEventHubOptions, type LiveStream, type StreamSink, type Admission } from './lib/live-event-hub';
// The bus and the publisher live in api-data-access-live-events; re-exported for those who wire this module.
export {
  EVENT_BUS, InProcessEventBus, isInAudience, LiveEventPublisher, LIVE_INSTANCE_ID, type EventBus, type BusMessage, type BusListener, type LiveAudience,
} from '@switchboard/api-data-access-live-events';
