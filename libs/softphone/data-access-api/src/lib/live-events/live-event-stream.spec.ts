import type { LiveEvent } from '@switchboard/shared-contracts';
import { fakeEventSources } from './fake-event-source';
import { liveEventStream } from './live-event-stream';

const hello: LiveEvent<'session.hello'> = {
  id: 'i-hello-1', type: 'session.hello', at: '2026-12-06T05:00:00.000Z',
  data: { identity: 'alice', displayName: 'Alice Adams', role: 'agent', instanceId: 'i', resumed: false },
};
const resync: LiveEvent<'session.resync'> = { id: 'i-resync-2', type: 'session.resync', at: '2026-12-06T05:00:01.000Z', data: { reason: 'unknown-last-event-id' } };

function setUp() {
  const sources = fakeEventSources();
  const warnings: Array<[string, unknown]> = [];
  const stream = liveEventStream({
    url: '/api/events', openSource: sources.factory, warn: (message, detail) => warnings.push([message, detail]),
    initialDelayMs: 1000, maxDelayMs: 4000, random: () => 1,
  });
  const received: LiveEvent[] = [];
  return { sources, warnings, stream, received, subscribe: () => stream.subscribe((event) => received.push(event)) };
}

describe('liveEventStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('opens one source per subscription and emits typed events in the order they came', () => {
    const { sources, received, subscribe } = setUp();
    subscribe();
    expect(sources.opened.map((s) => s.url)).toEqual(['/api/events']);
    sources.latest().open();
    sources.latest().deliver(JSON.stringify(hello), 'i-start');
    sources.latest().deliver(JSON.stringify(resync), 'i-start');
    expect(received).toEqual([hello, resync]);
    const first = received[0];
    // The union narrows on type: data is SessionHelloData here.
    expect(first.type === 'session.hello' ? first.data.instanceId : null).toBe('i');
  });

  it('ignores bad JSON and JSON that is not an event, with a warning, and keeps going', () => {
    const { sources, received, warnings, subscribe } = setUp();
    subscribe();
    sources.latest().deliver('{not json');
    sources.latest().deliver(JSON.stringify({ type: 'session.hello' }));
    sources.latest().deliver(JSON.stringify({ ...hello, at: 'yesterday' }));
    sources.latest().deliver(JSON.stringify(hello));
    expect(received).toEqual([hello]);
    expect(warnings).toEqual([
      ['Ignored a frame that is not a live event', '{not json'],
      ['Ignored a frame that is not a live event', JSON.stringify({ type: 'session.hello' })],
      ['Ignored a frame that is not a live event', JSON.stringify({ ...hello, at: 'yesterday' })],
    ]);
  });

  it('leaves reconnection to the browser while it retries, and opens a new source with the last id when it gave up', () => {
    const { sources, received, subscribe } = setUp();
    subscribe();
    const first = sources.latest();
    first.open();
    first.deliver(JSON.stringify(hello), 'i-7');
    first.fail(false);
    jest.advanceTimersByTime(60_000);
    expect(sources.opened).toHaveLength(1);

    first.fail(true);
    expect(first.closed).toBe(true);
    jest.advanceTimersByTime(999);
    expect(sources.opened).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sources.opened.map((s) => s.url)).toEqual(['/api/events', '/api/events?lastEventId=i-7']);
    // Frames from the abandoned source are not emitted.
    first.deliver(JSON.stringify(resync));
    sources.latest().deliver(JSON.stringify(resync), 'i-7');
    expect(received).toEqual([hello, resync]);
  });

  it('waits longer after each failed attempt, up to the cap, and starts over once a stream opens', () => {
    const { sources, subscribe } = setUp();
    subscribe();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const before = sources.opened.length;
      sources.latest().fail(true);
      let waited = 0;
      while (sources.opened.length === before) {
        jest.advanceTimersByTime(500);
        waited += 500;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 4000]);
    sources.latest().open();
    sources.latest().fail(true);
    jest.advanceTimersByTime(1000);
    expect(sources.opened).toHaveLength(6);
  });

  it('spreads reconnects with jitter between half and all of the wait', () => {
    const sources = fakeEventSources();
    liveEventStream({ url: '/e', openSource: sources.factory, warn: () => undefined, initialDelayMs: 1000, maxDelayMs: 4000, random: () => 0 }).subscribe();
    sources.latest().fail(true);
    jest.advanceTimersByTime(499);
    expect(sources.opened).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sources.opened).toHaveLength(2);
  });

  it('closes the source and cancels a pending reconnect when unsubscribed', () => {
    const { sources, subscribe } = setUp();
    const open = subscribe();
    open.unsubscribe();
    expect(sources.latest().closed).toBe(true);
    expect(sources.latest().onmessage).toBeNull();

    const again = subscribe();
    sources.latest().fail(true);
    expect(jest.getTimerCount()).toBe(1);
    again.unsubscribe();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(60_000);
    expect(sources.opened).toHaveLength(2);
  });
});
