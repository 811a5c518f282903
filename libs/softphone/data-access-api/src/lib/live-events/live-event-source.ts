import { InjectionToken } from '@angular/core';

/** EventSource.readyState once the browser has given up (it no longer reconnects by itself). */
export const EVENT_SOURCE_CLOSED = 2;

/** The part of the browser's EventSource the client uses; unit tests give a fake. */
export interface LiveEventSource {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent<string>) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export type LiveEventSourceFactory = (url: string) => LiveEventSource;

/** Opens the stream; the browser's EventSource with the session cookie by default. */
export const LIVE_EVENT_SOURCE_FACTORY = new InjectionToken<LiveEventSourceFactory>('LIVE_EVENT_SOURCE_FACTORY', {
  providedIn: 'root',
  factory: () => (url) => new EventSource(url, { withCredentials: true }),
});

export type LiveEventsWarn = (message: string, detail?: unknown) => void;

/** Where the client reports frames it drops (bad JSON, not an event). */
export const LIVE_EVENTS_WARN = new InjectionToken<LiveEventsWarn>('LIVE_EVENTS_WARN', {
  providedIn: 'root',
  factory: () => (message, detail) => console.warn(`[live events] ${message}`, detail),
});
