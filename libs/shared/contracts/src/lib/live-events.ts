/**
 * The API's real-time channel to the softphone: a Server-Sent Events stream at {@link LIVE_EVENTS_PATH}
 * (same session cookie as every /api route). Every frame's `data:` is one JSON {@link LiveEvent}; frames
 * carry no SSE `event:` name, so the browser delivers every type to `onmessage` and a client never needs
 * the list of types in advance. Keep-alive is an SSE comment (`: ping`), never an event.
 *
 * ## Adding an event type (the extension point)
 * {@link LiveEventMap} maps each `type` to its `data`. A feature adds its types by augmenting the map
 * from its own contract file in this lib, without editing this one (code outside the lib may augment
 * `'@switchboard/shared-contracts'` the same way, e.g. a test's own event type):
 *
 * ```ts
 * // libs/shared/contracts/src/lib/call-control.ts
 * declare module './live-events' {
 *   interface LiveEventMap {
 *     'call.participants': CallParticipantsChanged;
 *   }
 * }
 * ```
 *
 * {@link LiveEvent} is then a discriminated union over every type, so `switch (event.type)` narrows
 * `event.data` on both sides. A map (rather than one union written out here) lets the call-control and
 * floor contracts own their payloads and keeps this file free of them.
 *
 * Events must be plain JSON (no Dates, Maps, class instances, undefined): with several API instances
 * they travel through Redis before reaching the stream.
 */

import type { AgentProfile } from './api-contracts';

/** The agent API path of the stream (GET, `text/event-stream`). */
export const LIVE_EVENTS_PATH = '/api/events';

/** Query parameter the client uses for the last event it saw when it reconnects by itself (a new EventSource cannot send `Last-Event-ID`). */
export const LIVE_EVENTS_LAST_ID_PARAM = 'lastEventId';

/** Sent first on every stream: who the server believes you are, and which instance answered. */
export interface SessionHelloData extends AgentProfile {
  /** The API instance holding this stream (changes after a reconnect through a load balancer). */
  readonly instanceId: string;
  /** True when the stream resumed from `Last-Event-ID` and missed events follow this one. */
  readonly resumed: boolean;
}

/** Events were missed and cannot be replayed (the id is older than the server keeps): refetch state. */
export interface SessionResyncData {
  readonly reason: 'unknown-last-event-id';
}

/**
 * `type` → `data` of every live event. Augment it (see the file comment) to add types; `session.*`
 * types are per-stream and never published on the bus.
 */
export interface LiveEventMap {
  'session.hello': SessionHelloData;
  'session.resync': SessionResyncData;
}

export type LiveEventType = keyof LiveEventMap;

/** Types the stream itself sends; features publish every other type. */
export type SessionEventType = 'session.hello' | 'session.resync';
export type PublishableLiveEventType = Exclude<LiveEventType, SessionEventType>;

/** The envelope of every event: a discriminated union on `type`. */
export type LiveEvent<T extends LiveEventType = LiveEventType> = {
  [K in T]: {
    /** Unique per event; for published events also the SSE id the stream resumes from. */
    readonly id: string;
    readonly type: K;
    /** When the server created the event, ISO 8601 (UTC). */
    readonly at: string;
    readonly data: LiveEventMap[K];
  };
}[T];

/**
 * Whether a parsed JSON value has the envelope's shape. It does not check `data` against its type:
 * the API and the softphone are built from the same contracts.
 */
export function isLiveEventEnvelope(value: unknown): value is LiveEvent {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['id'] === 'string' && candidate['id'] !== ''
    && typeof candidate['type'] === 'string' && candidate['type'] !== ''
    && typeof candidate['at'] === 'string' && !Number.isNaN(Date.parse(candidate['at']))
    && typeof candidate['data'] === 'object' && candidate['data'] !== null;
}
