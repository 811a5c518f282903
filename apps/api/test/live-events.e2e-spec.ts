import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { EVENT_BUS, InProcessEventBus, LIVE_INSTANCE_ID, LiveEventHub, LiveEventPublisher } from '@switchboard/api-feature-live-events';
import { API_ROUTES, LIVE_EVENTS_LAST_ID_PARAM, LIVE_EVENTS_PATH, type LiveEvent } from '@switchboard/shared-contracts';
import { ENGINES, PUBLIC_BASE_URL, signIn, startApi, type TestApi } from './support';

declare module '@switchboard/shared-contracts' {
  interface LiveEventMap {
    'test.note': { readonly text: string };
  }
}

interface Frame {
  readonly id: string | null;
  readonly retry: string | null;
  readonly comment: string | null;
  readonly event: LiveEvent | null;
}

/**
 * An SSE reader on its own HTTP connection, framing as EventSource does (WHATWG). node:http rather than
 * fetch: undici opens a spare connection when a streaming fetch is aborted, which would hold the
 * server's close open until a timeout.
 */
class SseStream {
  private readonly frames: Frame[] = [];
  private readonly waiters: Array<(frame: Frame | null) => void> = [];
  private ended = false;
  private pending = '';
  readonly response: { readonly status: number; readonly headers: Headers };

  private constructor(private readonly request: ClientRequest, incoming: IncomingMessage) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) headers.set(name, String(value));
    this.response = { status: incoming.statusCode ?? 0, headers };
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => {
      this.pending += chunk;
      let end: number;
      while ((end = this.pending.indexOf('\n\n')) >= 0) {
        this.push(parseFrame(this.pending.slice(0, end)));
        this.pending = this.pending.slice(end + 2);
      }
    });
    incoming.once('close', () => {
      this.ended = true;
      for (const waiter of this.waiters.splice(0)) waiter(null);
    });
  }

  static open(api: TestApi, headers: Record<string, string>, query = ''): Promise<SseStream> {
    return new Promise((resolve, reject) => {
      const request = get(`${api.url}${LIVE_EVENTS_PATH}${query}`, { headers: { accept: 'text/event-stream', ...headers }, agent: false },
        (incoming) => resolve(new SseStream(request, incoming)));
      request.once('error', reject);
    });
  }

  /** The next frame, or null once the server ended the stream. */
  next(): Promise<Frame | null> {
    const frame = this.frames.shift();
    if (frame) return Promise.resolve(frame);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next frame carrying an event (skipping the retry hint and pings). */
  async nextEvent(): Promise<{ id: string | null; event: LiveEvent }> {
    for (;;) {
      const frame = await this.next();
      if (frame === null) throw new Error('stream ended before the next event');
      if (frame.event) return { id: frame.id, event: frame.event };
    }
  }

  /** Goes away as a closed tab does: the connection is dropped. */
  close(): void {
    this.request.destroy();
  }

  private push(frame: Frame): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(frame);
    else this.frames.push(frame);
  }
}

function parseFrame(text: string): Frame {
  const fields = text.split('\n');
  const value = (name: string) => fields.find((f) => f.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
  const data = value('data');
  return { id: value('id'), retry: value('retry'), comment: fields.find((f) => f.startsWith(': '))?.slice(2) ?? null, event: data === null ? null : JSON.parse(data) as LiveEvent };
}

describe.each(ENGINES)('live events over SSE (%s)', (engine) => {
  let api: TestApi;
  let hub: LiveEventHub;
  let publisher: LiveEventPublisher;
  let cookies: Record<'alice' | 'bob' | 'sam', string>;
  const open: SseStream[] = [];
  const as = (cookie: string, headers: Record<string, string> = {}) => ({ cookie, ...headers });
  async function stream(cookie: string, headers: Record<string, string> = {}, query = ''): Promise<SseStream> {
    const opened = await SseStream.open(api, as(cookie, headers), query);
    open.push(opened);
    return opened;
  }
  /** Resolves once `identity` has exactly `count` streams open on the hub. */
  function streamsOf(identity: string, count: number): Promise<void> {
    return new Promise((resolve) => {
      if (hub.openStreams(identity) === count) return resolve();
      const stop = hub.onStreamsChanged((who, now) => {
        if (who === identity && now === count) {
          stop();
          resolve();
        }
      });
    });
  }
  const note = (text: string, agents: string[]) => publisher.publish('test.note', { text }, { agents });

  beforeAll(async () => {
    api = await startApi(engine);
    hub = api.app.get(LiveEventHub);
    publisher = api.app.get(LiveEventPublisher);
    cookies = { alice: await signIn(api, 'alice'), bob: await signIn(api, 'bob'), sam: await signIn(api, 'sam') };
  });
  afterEach(async () => {
    for (const s of open.splice(0)) s.close();
    await Promise.all(['alice', 'bob', 'sam'].map((identity) => streamsOf(identity, 0)));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers 401 JSON without a session or with an unknown one, and opens no stream', async () => {
    for (const headers of [{}, { cookie: `${api.config.sessions.cookieName}=not-a-session` }] as Array<Record<string, string>>) {
      const response = await fetch(`${api.url}${LIVE_EVENTS_PATH}`, { headers: { accept: 'text/event-stream', ...headers } });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ statusCode: 401 });
    }
    expect(hub.openStreams()).toBe(0);
  });

  it('streams with the security headers and sends the retry hint, then session.hello for the session\'s agent', async () => {
    const alice = await stream(cookies.alice);
    expect(alice.response.status).toBe(200);
    expect(alice.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(alice.response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(alice.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(alice.response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(alice.response.headers.get('permissions-policy')).toMatch(/^microphone=/);
    expect(alice.response.headers.get('content-encoding')).toBeNull();
    expect(await alice.next()).toMatchObject({ retry: '3000', event: null });
    const { event } = await alice.nextEvent();
    expect(event).toMatchObject({
      type: 'session.hello',
      data: { identity: 'alice', displayName: expect.any(String), role: 'agent', instanceId: api.app.get(LIVE_INSTANCE_ID), resumed: false },
    });
  });

  it('delivers a published event to its audience only: alice gets hers, bob does not', async () => {
    const [alice, bob] = [await stream(cookies.alice), await stream(cookies.bob)];
    await alice.nextEvent();
    await bob.nextEvent();
    const forAlice = await note('for alice', ['alice']);
    const forBob = await note('for bob', ['bob']);
    expect(await alice.nextEvent()).toEqual({ id: forAlice.id, event: forAlice });
    // Bob's next event is his own: alice's was never sent to him.
    expect(await bob.nextEvent()).toEqual({ id: forBob.id, event: forBob });
  });

  it('resumes from Last-Event-ID (or the lastEventId parameter) with exactly the events missed', async () => {
    const first = await stream(cookies.alice);
    await first.nextEvent();
    const seen = await note('seen', ['alice']);
    expect((await first.nextEvent()).event).toEqual(seen);
    first.close();
    await streamsOf('alice', 0);
    const missed = [await note('missed 1', ['alice']), await note('not hers', ['bob']), await note('missed 2', ['alice', 'bob'])];

    const aliceMissed = [missed[0], missed[2]];
    for (const resume of [(id: string) => stream(cookies.alice, { 'last-event-id': id }), (id: string) => stream(cookies.alice, {}, `?${LIVE_EVENTS_LAST_ID_PARAM}=${encodeURIComponent(id)}`)]) {
      const again = await resume(seen.id);
      expect(await again.nextEvent()).toMatchObject({ id: null, event: { type: 'session.hello', data: { resumed: true } } });
      for (const event of aliceMissed) expect(await again.nextEvent()).toEqual({ id: event.id, event });
      const live = await note('live', ['alice']);
      expect(await again.nextEvent()).toEqual({ id: live.id, event: live });
      // The next resume from the same id gets this one too.
      aliceMissed.push(live);
      again.close();
      await streamsOf('alice', 0);
    }
  });

  it('tells a client whose id is unknown or too old to resync, and resumes from there afterwards', async () => {
    const old = await note('soon evicted', ['alice']);
    // The replay buffer keeps the last 1000 events of the instance.
    for (let i = 0; i < 1000; i += 1) await note(`filler ${i}`, ['bob']);
    for (const lastId of [old.id, 'no-such-event']) {
      const alice = await stream(cookies.alice, { 'last-event-id': lastId });
      const hello = await alice.nextEvent();
      expect(hello.event).toMatchObject({ type: 'session.hello', data: { resumed: false } });
      const resync = await alice.nextEvent();
      expect(resync.event).toMatchObject({ type: 'session.resync', data: { reason: 'unknown-last-event-id' } });
      // Positioned at the newest event, so resuming from the resync replays nothing already known.
      alice.close();
      await streamsOf('alice', 0);
      const after = await stream(cookies.alice, { 'last-event-id': resync.id as string });
      expect((await after.nextEvent()).event).toMatchObject({ type: 'session.hello', data: { resumed: true } });
      const next = await note('after resync', ['alice']);
      expect((await after.nextEvent()).event).toEqual(next);
      after.close();
      await streamsOf('alice', 0);
    }
  });

  it('refuses a sixth stream of one agent with 429 and accepts one again after a stream closes', async () => {
    const five = await Promise.all(Array.from({ length: 5 }, () => stream(cookies.alice)));
    for (const s of five) expect((await s.nextEvent()).event.type).toBe('session.hello');
    const sixth = await fetch(`${api.url}${LIVE_EVENTS_PATH}`, { headers: as(cookies.alice) });
    expect(sixth.status).toBe(429);
    expect(await sixth.json()).toMatchObject({ statusCode: 429, message: expect.stringContaining('Too many event streams') });
    // Another agent is not affected.
    expect((await stream(cookies.bob)).response.status).toBe(200);
    five[0].close();
    await streamsOf('alice', 4);
    expect((await stream(cookies.alice)).response.status).toBe(200);
  });

  it('removes the stream when the client disconnects, and leaves the bus subscribed once', async () => {
    const bus = api.app.get<InProcessEventBus>(EVENT_BUS);
    const listeners = bus.listenerCount;
    const alice = await stream(cookies.alice);
    await alice.nextEvent();
    expect(hub.openStreams('alice')).toBe(1);
    alice.close();
    await streamsOf('alice', 0);
    expect(hub.openStreams()).toBe(0);
    expect(bus.listenerCount).toBe(listeners);
  });

  it('refuses a cross-site page like every /api route, and serves the page\'s own origin', async () => {
    for (const headers of [{ origin: 'https://evil.test' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }] as Array<Record<string, string>>) {
      const response = await fetch(`${api.url}${LIVE_EVENTS_PATH}`, { headers: as(cookies.alice, headers) });
      expect({ headers, status: response.status }).toEqual({ headers, status: 403 });
    }
    const own = await stream(cookies.alice, { origin: PUBLIC_BASE_URL, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' });
    expect(own.response.status).toBe(200);
    expect(hub.openStreams('alice')).toBe(1);
  });

  it('answers HEAD with the stream\'s headers and no stream', async () => {
    const head = await fetch(`${api.url}${LIVE_EVENTS_PATH}`, { method: 'HEAD', headers: as(cookies.alice) });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(head.headers.get('x-content-type-options')).toBe('nosniff');
    expect(hub.openStreams()).toBe(0);
  });

  it('answers 400 to a Last-Event-ID that cannot be an id', async () => {
    const response = await fetch(`${api.url}${LIVE_EVENTS_PATH}`, { headers: as(cookies.alice, { 'last-event-id': 'x'.repeat(201) }) });
    expect(response.status).toBe(400);
    expect(hub.openStreams('alice')).toBe(0);
  });
});

describe('live events past the HTTP timeouts, and on shutdown', () => {
  let api: TestApi;
  let closed = false;
  beforeAll(async () => {
    // Timeouts far shorter than the defaults, so a stream outliving them shows they do not cut it.
    api = await startApi('pglite', { HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_CONNECTION_TIMEOUT_MS: '2500', LIVE_EVENTS_HEARTBEAT_SECONDS: '1' });
  });
  afterAll(async () => {
    if (!closed) await api?.close();
  });

  it('keeps a stream open past the request and idle timeouts with a ping every heartbeat', async () => {
    const alice = await SseStream.open(api, { cookie: await signIn(api, 'alice') });
    await alice.nextEvent();
    // The heartbeat timer starts with the stream: the 4th ping comes 4 s in, past both timeouts. A cut
    // stream would end (null) first.
    for (let pings = 0; pings < 4;) {
      const frame = await alice.next();
      expect(frame).not.toBeNull();
      if (frame?.comment === 'ping') pings += 1;
    }
    const note = await api.app.get(LiveEventPublisher).publish('test.note', { text: 'still here' }, { agents: ['alice'] });
    expect((await alice.nextEvent()).event).toEqual(note);
    alice.close();
  });

  it('ends the stream at the next heartbeat once its session is signed out', async () => {
    const cookie = await signIn(api, 'bob');
    const bob = await SseStream.open(api, { cookie });
    await bob.nextEvent();
    const other = await SseStream.open(api, { cookie: await signIn(api, 'bob') });
    await other.nextEvent();
    const signOut = await fetch(`${api.url}${API_ROUTES.auth.logout}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(signOut.status).toBeLessThan(300);
    // Pings, then the end: the stream of the signed-out session closes; bob's other session keeps its own.
    for (let frame = await bob.next(); frame !== null; frame = await bob.next()) expect(frame.event).toBeNull();
    const note = await api.app.get(LiveEventPublisher).publish('test.note', { text: 'other session' }, { agents: ['bob'] });
    expect((await other.nextEvent()).event).toEqual(note);
    other.close();
  });

  it('ends open streams when the app closes, so closing does not wait for clients', async () => {
    const hub = api.app.get(LiveEventHub);
    const bus = api.app.get<InProcessEventBus>(EVENT_BUS);
    const alice = await SseStream.open(api, { cookie: await signIn(api, 'alice') });
    await alice.nextEvent();
    expect(hub.openStreams('alice')).toBe(1);
    closed = true;
    await api.close();
    // The stream ends (null) instead of hanging; nothing is left subscribed or open.
    for (let frame = await alice.next(); frame !== null; frame = await alice.next()) expect(frame.event).toBeNull();
    expect(hub.openStreams()).toBe(0);
    expect(bus.listenerCount).toBe(0);
  });
});
