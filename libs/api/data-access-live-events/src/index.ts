export { LiveEventBusModule, createEventBus } from './lib/live-event-bus.module';
export { LiveEventPublisher, LIVE_INSTANCE_ID } from './lib/live-event-publisher';
export {
  EVENT_BUS, InProcessEventBus, isBusMessage, isInAudience, type EventBus, type BusMessage, type BusListener, type BusReadiness, type LiveAudience,
} from './lib/event-bus';
export { RedisEventBus, LIVE_EVENTS_CHANNEL_SUFFIX, type RedisConnection, type RedisEventBusLog, type RedisEventBusOptions, type RedisRole } from './lib/redis-event-bus';
export { maskNumber, toParticipantView, type DirectoryEntry } from './lib/call-participant-view';
export { participantViews, type ParticipantViewSources } from './lib/participant-views';
