export { toApiErrorBody, retryAfterSecondsOf, NETWORK_ERROR_STATUS, TOO_MANY_REQUESTS_STATUS } from './lib/http/api-error';
export {
  AuthApi,
  VoiceTokenApi,
  ClientConfigApi,
  AgentsApi,
  CallsApi,
  VoicemailsApi,
  type PageRequest,
} from './lib/http/switchboard-api';
export { SessionStore, type SessionState, type SessionStatus } from './lib/session/session.store';
export { SESSION_LISTENER, type SessionListener } from './lib/session/session-listener';
export {
  signedInGuard,
  signedOutGuard,
  safeReturnUrl,
  SIGN_IN_PATH,
  RETURN_URL_PARAM,
} from './lib/session/session.guards';
export { sessionExpiryInterceptor } from './lib/session/session-expiry.interceptor';
export { ClientConfigStore, type ClientConfigState } from './lib/client-config/client-config.store';
export { VoicemailInboxStore, type VoicemailInboxState, type LoadStatus } from './lib/voicemail/voicemail-inbox.store';
export { HttpNumberPolicyCheck, HttpVoiceTokenSource, VoiceSessionListener, provideVoiceSession } from './lib/voice/voice-session.providers';
export { AgentDirectoryStore, type AgentDirectoryState } from './lib/agents/agent-directory.store';
export { RingGroupsStore, type RingGroupsState } from './lib/agents/ring-groups.store';
export { CallControlApi, provideCallControlApi, toCallControlProblemFromHttp } from './lib/call-control/call-control-api';
export { LiveEventsClient, LIVE_EVENTS_RECONNECT } from './lib/live-events/live-events.client';
export { liveEventStream, type LiveEventStreamOptions } from './lib/live-events/live-event-stream';
export {
  LIVE_EVENT_SOURCE_FACTORY,
  LIVE_EVENTS_WARN,
  EVENT_SOURCE_CLOSED,
  type LiveEventSource,
  type LiveEventSourceFactory,
  type LiveEventsWarn,
} from './lib/live-events/live-event-source';
export { FloorApi } from './lib/floor/floor-api';
export { FloorBoardStore, type FloorBoardState, type FloorBoardStatus } from './lib/floor/floor-board.store';
export { applyFloorEvent, isFloorBoardEvent, FLOOR_BOARD_EVENT_TYPES, type FloorBoardEvent } from './lib/floor/floor-board';
export { supervisorGuard } from './lib/floor/supervisor.guard';
export { AvailabilityApi, PresenceApi, provideAvailabilityApi, toAvailabilityProblemFromHttp, type KeepaliveFetch } from './lib/availability/availability-api';
