import { isLiveEventEnvelope, LIVE_EVENTS_LAST_ID_PARAM, type LiveEvent } from '@switchboard/shared-contracts';
import { Observable } from 'rxjs';
import { EVENT_SOURCE_CLOSED, type LiveEventSource, type LiveEventSourceFactory, type LiveEventsWarn } from './live-event-source';

export interface LiveEventStreamOptions {
  readonly url: string;
  readonly openSource: LiveEventSourceFactory;
  readonly warn: LiveEventsWarn;
  /** First wait after the browser gave up; doubled after each failure up to `maxDelayMs`, reset once a stream opens. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Spreads the reconnects of many clients after an API instance goes away (0..1; Math.random by default). */
  readonly random?: () => number;
}

/**
 * Cold: each subscription opens an EventSource and emits every well-formed event, in order. The
 * browser reconnects by itself (honouring `retry:` and sending `Last-Event-ID`); when it gives up
 * (readyState CLOSED: a non-200 answer such as 429 or 503, or a wrong content type), this opens a new
 * one after a growing, jittered wait, passing the last id in the query since a new EventSource cannot
 * send the header. Unsubscribing closes the source and cancels a pending reconnect.
 */
export function liveEventStream(options: LiveEventStreamOptions): Observable<LiveEvent> {
  return new Observable<LiveEvent>((subscriber) => {
    let source: LiveEventSource | null = null;
    let reconnect: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;
    let lastEventId = '';
    const random = options.random ?? Math.random;

    const detach = (old: LiveEventSource) => {
      old.onopen = null;
      old.onmessage = null;
      old.onerror = null;
      old.close();
    };

    const connect = () => {
      reconnect = null;
      const url = lastEventId ? `${options.url}?${LIVE_EVENTS_LAST_ID_PARAM}=${encodeURIComponent(lastEventId)}` : options.url;
      const current = options.openSource(url);
      source = current;
      current.onopen = () => {
        failures = 0;
      };
      current.onmessage = (message) => {
        // The browser keeps the last `id:` it saw across frames without one (the hello of a resume).
        if (message.lastEventId) lastEventId = message.lastEventId;
        const event = parseLiveEvent(message.data);
        if (event) subscriber.next(event);
        else options.warn('Ignored a frame that is not a live event', message.data);
      };
      current.onerror = () => {
        if (current.readyState !== EVENT_SOURCE_CLOSED) return; // the browser is reconnecting itself
        detach(current);
        source = null;
        const delay = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** failures) * (0.5 + random() / 2);
        failures += 1;
        reconnect = setTimeout(connect, delay);
      };
    };

    connect();
    return () => {
      if (reconnect !== null) clearTimeout(reconnect);
      if (source) detach(source);
    };
  });
}

function parseLiveEvent(data: string): LiveEvent | null {
  try {
    const value: unknown = JSON.parse(data);
    return isLiveEventEnvelope(value) ? value : null;
  } catch {
    return null;
  }
}
