import { EVENT_SOURCE_CLOSED, type LiveEventSource, type LiveEventSourceFactory } from './live-event-source';

/** An EventSource the test drives: open, deliver frames, fail as the browser does. Unit tests only. */
export class FakeEventSource implements LiveEventSource {
  readyState = 0;
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {}

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** A frame; `lastEventId` is what the browser reports (the last `id:` seen on this source). */
  deliver(data: string, lastEventId = ''): void {
    this.onmessage?.(new MessageEvent('message', { data, lastEventId }));
  }

  /** A dropped connection: `gaveUp` when the browser will not reconnect by itself. */
  fail(gaveUp: boolean): void {
    this.readyState = gaveUp ? EVENT_SOURCE_CLOSED : 0;
    this.onerror?.(new Event('error'));
  }

  close(): void {
    this.closed = true;
    this.readyState = EVENT_SOURCE_CLOSED;
  }
}

/** A factory recording every source it opened. */
export function fakeEventSources(): { readonly opened: FakeEventSource[]; readonly factory: LiveEventSourceFactory; latest(): FakeEventSource } {
  const opened: FakeEventSource[] = [];
  return {
    opened,
    factory: (url) => {
      const source = new FakeEventSource(url);
      opened.push(source);
      return source;
    },
    latest: () => {
      const source = opened.at(-1);
      if (!source) throw new Error('no EventSource was opened');
      return source;
    },
  };
}
