export { LiveEventBusModule } from './lib/live-event-bus.module';
export { LiveEventPublisher, LIVE_INSTANCE_ID } from './lib/live-event-publisher';
export { EVENT_BUS, InProcessEventBus, isInAudience, type EventBus, type BusMessage, type BusListener, type LiveAudience } from './lib/event-bus';
export { maskNumber, toParticipantView, type DirectoryEntry } from './lib/call-participant-view';
export { participantViews, type ParticipantViewSources } from './lib/participant-views';
