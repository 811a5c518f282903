import type { SessionAgent } from '@switchboard/api-http-boundary';
import type { LiveEvent } from '@switchboard/shared-contracts';
import { InProcessEventBus, type BusMessage } from '@switchboard/api-data-access-live-events';
import { LiveEventHub, type LiveEventHubOptions, type StreamSink } from './live-event-hub';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';

declare module '@switchboard/shared-contracts' {
  interface LiveEventMap {
    'test.note': { readonly text: string };
  }
}

const alice: SessionAgent = { id: '1', identity: 'alice', displayName: 'Alice Adams', role: 'agent' };
const bob: SessionAgent = { id: '2', identity: 'bob', displayName: 'Bob Brown', role: 'agent' };
const sam: SessionAgent = { id: '3', identity: 'sam', displayName: 'Sam Supervisor', role: 'supervisor' };

/** Records frames as the browser would parse them. */
class RecordingSink implements StreamSink {
  readonly frames: string[] = [];
  ended = 0;
  accept = true;
  bufferedBytes = 0;
  write(frame: string): boolean {
    this.frames.push(...frame.split('\n\n').filter(Boolean));
    return this.accept;
  }
  end(): void {
    this.ended += 1;
  }
  events(): LiveEvent[] {
    return this.frames.filter((f) => f.includes('data: ')).map((f) => JSON.parse(f.split('data: ')[1]) as LiveEvent);
  }
  ids(): Array<string | null> {
    return this.frames.filter((f) => f.includes('data: ')).map((f) => /^id: (.*)$/m.exec(f)?.[1] ?? null);
  }
}

function setUp(overrides: Partial<LiveEventHubOptions> = {}) {
  const bus = new InProcessEventBus();
  const warnings: string[] = [];
  const hub = new LiveEventHub(bus, {
    instanceId: 'inst1', heartbeatMs: 15_000, maxStreamsPerAgent: 5, replayCapacity: 100, retryMs: 3000, maxBufferedBytes: 1000,
    warn: (m) => warnings.push(m), ...overrides,
  });
  hub.onModuleInit();
  const publisher = new LiveEventPublisher(bus, 'inst1');
  return { bus, hub, publisher, warnings };
}

describe('LiveEventHub', () => {
  afterEach(() => jest.useRealTimers());

  it('starts every stream with the retry hint and session.hello naming the agent and the instance', () => {
    const { hub } = setUp();
    const sink = new RecordingSink();
    hub.open(alice, null, sink);
    expect(sink.frames[0]).toBe('retry: 3000');
    const [hello] = sink.events();
    expect(hello).toMatchObject({ type: 'session.hello', data: { identity: 'alice', displayName: 'Alice Adams', role: 'agent', instanceId: 'inst1', resumed: false } });
    expect(Number.isNaN(Date.parse(hello.at))).toBe(false);
    expect(sink.ids()).toEqual(['inst1-start']);
  });

  it('delivers a published event to its audience only: named agents, and supervisors when asked', async () => {
    const { hub, publisher } = setUp();
    const [a, b, s] = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
    hub.open(alice, null, a);
    hub.open(bob, null, b);
    hub.open(sam, null, s);
    const forAlice = await publisher.publish('test.note', { text: 'for alice' }, { agents: ['alice'] });
    const forSupervisors = await publisher.publish('test.note', { text: 'for supervisors' }, { supervisors: true });
    expect(a.events().slice(1)).toEqual([forAlice]);
    expect(b.events().slice(1)).toEqual([]);
    expect(s.events().slice(1)).toEqual([forSupervisors]);
    expect(a.ids()).toEqual(['inst1-start', forAlice.id]);
  });

  it('resumes after Last-Event-ID with what the agent missed, and the hello carries no id', async () => {
    const { hub, publisher } = setUp();
    const first = await publisher.publish('test.note', { text: '1' }, { agents: ['alice'] });
    await publisher.publish('test.note', { text: 'not hers' }, { agents: ['bob'] });
    const third = await publisher.publish('test.note', { text: '3' }, { agents: ['alice', 'bob'] });
    const sink = new RecordingSink();
    hub.open(alice, first.id, sink);
    const [hello, ...missed] = sink.events();
    expect(hello).toMatchObject({ type: 'session.hello', data: { resumed: true } });
    expect(missed).toEqual([third]);
    expect(sink.ids()).toEqual([null, third.id]);
  });

  it('tells a stream with an unknown or evicted id to resync, positioned at the newest event', async () => {
    const { hub, publisher } = setUp({ replayCapacity: 2 });
    const oldest = await publisher.publish('test.note', { text: '1' }, { agents: ['alice'] });
    await publisher.publish('test.note', { text: '2' }, { agents: ['alice'] });
    const newest = await publisher.publish('test.note', { text: '3' }, { agents: ['alice'] });
    for (const lastId of [oldest.id, 'never-seen', 'inst1-start']) {
      const sink = new RecordingSink();
      hub.open(alice, lastId, sink);
      expect(sink.events().map((e) => e.type)).toEqual(['session.hello', 'session.resync']);
      expect(sink.events()[0].data).toMatchObject({ resumed: false });
      expect(sink.events()[1].data).toEqual({ reason: 'unknown-last-event-id' });
      expect(sink.ids()).toEqual([newest.id, newest.id]);
    }
  });

  it('admits five streams per agent and refuses the sixth until one closes', () => {
    const { hub } = setUp();
    const streams = Array.from({ length: 5 }, () => hub.open(alice, null, new RecordingSink()));
    expect(hub.admission('alice')).toBe('too-many-streams');
    expect(() => hub.open(alice, null, new RecordingSink())).toThrow(/too-many-streams/);
    expect(hub.admission('bob')).toBe('ok');
    hub.close(streams[0]);
    expect(hub.admission('alice')).toBe('ok');
    expect(hub.openStreams('alice')).toBe(4);
  });

  it('pings every stream each heartbeat with one timer, and leaves no timer once the last stream closes', () => {
    jest.useFakeTimers();
    const { hub } = setUp();
    expect(jest.getTimerCount()).toBe(0);
    const [a, b] = [new RecordingSink(), new RecordingSink()];
    const streamA = hub.open(alice, null, a);
    const streamB = hub.open(bob, null, b);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(15_000);
    expect(a.frames.at(-1)).toBe(': ping');
    expect(b.frames.filter((f) => f === ': ping')).toHaveLength(1);
    hub.close(streamA);
    jest.advanceTimersByTime(15_000);
    expect(a.frames.filter((f) => f === ': ping')).toHaveLength(1);
    expect(b.frames.filter((f) => f === ': ping')).toHaveLength(2);
    hub.close(streamB);
    hub.close(streamB);
    expect(b.ended).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends a stream at the heartbeat after its session ended, and keeps one whose check cannot answer', async () => {
    jest.useFakeTimers();
    const { hub } = setUp();
    let aliceSignedIn = true;
    const [a, b] = [new RecordingSink(), new RecordingSink()];
    hub.open(alice, null, a, async () => aliceSignedIn);
    hub.open(bob, null, b, async () => { throw new Error('database unavailable'); });
    await jest.advanceTimersByTimeAsync(15_000);
    expect([a.ended, b.ended]).toEqual([0, 0]);
    aliceSignedIn = false;
    await jest.advanceTimersByTimeAsync(15_000);
    expect([a.ended, b.ended]).toEqual([1, 0]);
    expect(hub.openStreams('alice')).toBe(0);
  });

  it('on shutdown ends every stream, leaves the bus and refuses new streams', async () => {
    jest.useFakeTimers();
    const { hub, bus, publisher } = setUp();
    const sinks = [new RecordingSink(), new RecordingSink()];
    hub.open(alice, null, sinks[0]);
    hub.open(sam, null, sinks[1]);
    const changes: Array<[string, number]> = [];
    hub.onStreamsChanged((identity, count) => changes.push([identity, count]));
    hub.onModuleDestroy();
    expect(sinks.map((s) => s.ended)).toEqual([1, 1]);
    expect(changes).toEqual([['alice', 0], ['sam', 0]]);
    expect(bus.listenerCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(hub.admission('alice')).toBe('shutting-down');
    await publisher.publish('test.note', { text: 'late' }, { agents: ['alice'] });
    expect(sinks[0].events()).toHaveLength(1);
  });

  it('closes a stream whose client stopped reading once its unsent output passes the limit', async () => {
    const { hub, publisher } = setUp();
    const sink = new RecordingSink();
    hub.open(alice, null, sink);
    sink.accept = false;
    sink.bufferedBytes = 500;
    await publisher.publish('test.note', { text: 'slow' }, { agents: ['alice'] });
    expect(sink.ended).toBe(0);
    sink.bufferedBytes = 1500;
    await publisher.publish('test.note', { text: 'slower' }, { agents: ['alice'] });
    expect(sink.ended).toBe(1);
    expect(hub.openStreams('alice')).toBe(0);
  });

  it('drops malformed bus messages and session events from the bus, with a warning', async () => {
    const { hub, bus, warnings } = setUp();
    const sink = new RecordingSink();
    hub.open(alice, null, sink);
    await bus.publish({ event: { id: 'x' }, audience: { agents: ['alice'] } } as unknown as BusMessage);
    await bus.publish({ event: { id: 'x', type: 'session.hello', at: new Date().toISOString(), data: {} }, audience: { agents: ['alice'] } } as unknown as BusMessage);
    expect(sink.events()).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/malformed/), expect.stringMatching(/session\.hello/)]);
  });

  it('resumes on another instance from an id of an event both saw (each instance keeps every event of the shared bus)', async () => {
    const bus = new InProcessEventBus();
    const options = { heartbeatMs: 15_000, maxStreamsPerAgent: 5, replayCapacity: 100, retryMs: 3000, maxBufferedBytes: 1000 };
    const [hubA, hubB] = [new LiveEventHub(bus, { ...options, instanceId: 'instA' }), new LiveEventHub(bus, { ...options, instanceId: 'instB' })];
    hubA.onModuleInit();
    hubB.onModuleInit();
    const [onA, onB] = [new LiveEventPublisher(bus, 'instA'), new LiveEventPublisher(bus, 'instB')];
    const seen = await onA.publish('test.note', { text: 'seen on B' }, { agents: ['alice'] });
    const missedFromB = await onB.publish('test.note', { text: 'missed' }, { agents: ['alice'] });
    const missedFromA = await onA.publish('test.note', { text: 'missed too' }, { agents: ['alice'] });
    const sink = new RecordingSink();
    hubA.open(alice, seen.id, sink);
    expect(sink.events().slice(1)).toEqual([missedFromB, missedFromA]);
    // An instance's own start position means nothing to another: resync.
    const fromStart = new RecordingSink();
    hubA.open(alice, 'instB-start', fromStart);
    expect(fromStart.events().map((e) => e.type)).toEqual(['session.hello', 'session.resync']);
  });

  it('after the bus lost events, tells every open stream to resync and forgets what it would replay', async () => {
    class GappyBus extends InProcessEventBus {
      private readonly gapListeners = new Set<() => void>();
      onGap(listener: () => void): () => void {
        this.gapListeners.add(listener);
        return () => this.gapListeners.delete(listener);
      }
      gap(): void {
        for (const listener of this.gapListeners) listener();
      }
    }
    const bus = new GappyBus();
    const warnings: string[] = [];
    const hub = new LiveEventHub(bus, { instanceId: 'inst1', heartbeatMs: 15_000, maxStreamsPerAgent: 5, replayCapacity: 100, retryMs: 3000, maxBufferedBytes: 1000, warn: (m) => warnings.push(m) });
    hub.onModuleInit();
    bus.gap(); // nothing open, nothing kept: nothing to do
    expect(warnings).toEqual([]);
    const publisher = new LiveEventPublisher(bus, 'inst1');
    const before = await publisher.publish('test.note', { text: 'before' }, { agents: ['alice'] });
    const [a, s] = [new RecordingSink(), new RecordingSink()];
    hub.open(alice, null, a);
    hub.open(sam, null, s);
    bus.gap();
    for (const sink of [a, s]) {
      expect(sink.events().map((e) => e.type)).toEqual(['session.hello', 'session.resync']);
      expect(sink.ids()).toEqual([before.id, 'inst1-start-1']);
    }
    expect(warnings).toEqual(['The live-event bus may have lost events; 2 open stream(s) told to resync']);
    // The old position is unknown now; the one the resync gave resumes, with what came after it.
    const stale = new RecordingSink();
    hub.open(alice, before.id, stale);
    expect(stale.events().map((e) => e.type)).toEqual(['session.hello', 'session.resync']);
    const after = await publisher.publish('test.note', { text: 'after' }, { agents: ['alice'] });
    const resumed = new RecordingSink();
    hub.open(alice, 'inst1-start-1', resumed);
    expect(resumed.events().slice(1)).toEqual([after]);
    hub.shutdown();
    bus.gap();
    expect(warnings).toHaveLength(1);
  });
});

describe('LiveEventPublisher', () => {
  it('gives every event a unique id on this instance and an ISO time', async () => {
    const { publisher } = setUp();
    const a = await publisher.publish('test.note', { text: 'a' }, { agents: ['alice'] });
    const b = await publisher.publish('test.note', { text: 'b' }, { agents: ['alice'] });
    expect(a.id).not.toBe(b.id);
    expect(a.id.startsWith('inst1-')).toBe(true);
    expect(new Date(a.at).toISOString()).toBe(a.at);
  });

  it('refuses an event with nobody to hear it, and session events', async () => {
    const { publisher } = setUp();
    await expect(publisher.publish('test.note', { text: 'x' }, {})).rejects.toThrow(/needs an audience/);
    await expect(publisher.publish('test.note', { text: 'x' }, { agents: [] })).rejects.toThrow(/needs an audience/);
    await expect(publisher.publish('session.hello' as 'test.note', { text: 'x' }, { agents: ['alice'] })).rejects.toThrow(/not published/);
  });
});
