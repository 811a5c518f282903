export * from './lib/live-events.module';
export { LiveEventPublisher, LIVE_INSTANCE_ID } from './lib/live-event-publisher';
export { LiveEventHub, LIVE_EVENT_DEFAULTS, type LiveEventHubOptions, type LiveStream, type StreamSink, type Admission } from './lib/live-event-hub';
export { EVENT_BUS, InProcessEventBus, isInAudience, type EventBus, type BusMessage, type BusListener, type LiveAudience } from './lib/event-bus';
