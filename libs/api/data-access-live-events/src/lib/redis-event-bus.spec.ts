import { EventEmitter } from 'node:events';
import type { RedisOptions } from 'ioredis';
import type { BusMessage } from './event-bus';
import { RedisEventBus, type RedisConnection, type RedisRole } from './redis-event-bus';

/** Stands in for an ioredis connection: the test drives its state and what arrives on it. */
class FakeConnection extends EventEmitter implements RedisConnection {
  status = 'connecting';
  readonly published: Array<[string, string]> = [];
  readonly subscriptions: string[] = [];
  quits = 0;
  disconnects = 0;

  constructor(readonly role: RedisRole, readonly options: RedisOptions) {
    super();
  }

  /** As ioredis: the status changes, then the event is emitted. */
  become(status: 'ready' | 'close' | 'reconnecting' | 'end'): void {
    this.status = status;
    this.emit(status);
  }

  async publish(channel: string, message: string): Promise<number> {
    if (this.status !== 'ready') throw new Error('Connection is closed.');
    this.published.push([channel, message]);
    return 1;
  }

  async subscribe(channel: string): Promise<number> {
    this.subscriptions.push(channel);
    return 1;
  }

  async quit(): Promise<string> {
    this.quits += 1;
    this.status = 'end';
    return 'OK';
  }

  disconnect(): void {
    this.disconnects += 1;
    this.status = 'end';
  }
}

const CHANNEL = 'switchboard:live-events';
const message: BusMessage = {
  event: { id: 'inst1-1', type: 'session.hello', at: '2026-12-06T10:00:00.000Z', data: {} } as unknown as BusMessage['event'],
  audience: { agents: ['alice'], supervisors: true },
};

function setUp(url = 'redis://:s3cret@cache.internal:6380/2') {
  const connections = {} as Record<RedisRole, FakeConnection>;
  const logs: Array<[string, string]> = [];
  const log = { log: (m: string) => logs.push(['log', m]), warn: (m: string) => logs.push(['warn', m]), error: (m: string) => logs.push(['error', m]) };
  const bus = new RedisEventBus({
    url, channel: CHANNEL, log,
    connect: (role, options) => (connections[role] = new FakeConnection(role, options)),
  });
  const { publisher, subscriber } = connections;
  /** Both up and the channel subscribed, as after start-up. */
  const ready = async () => {
    publisher.become('ready');
    subscriber.become('ready');
    await bus.whenReady();
  };
  const arrive = (text: string, channel = CHANNEL) => subscriber.emit('message', channel, text);
  return { bus, publisher, subscriber, logs, ready, arrive };
}

describe('RedisEventBus', () => {
  it('opens a publisher and a subscriber, resubscribing itself, and is ready once both are up and subscribed', async () => {
    const { bus, publisher, subscriber, ready } = setUp();
    expect(publisher.options).toMatchObject({ maxRetriesPerRequest: 2, connectionName: `${CHANNEL}:pub` });
    expect(subscriber.options).toMatchObject({ autoResubscribe: false, connectionName: `${CHANNEL}:sub` });
    expect(bus.readiness()).toEqual({ ready: false, detail: 'Redis at redis://cache.internal:6380/2 is not reachable (publisher: connecting, subscriber: connecting)' });
    await ready();
    expect(subscriber.subscriptions).toEqual([CHANNEL]);
    expect(bus.readiness()).toEqual({ ready: true, detail: 'redis redis://cache.internal:6380/2' });
  });

  it('publishes the message as JSON on the channel', async () => {
    const { bus, publisher, ready } = setUp();
    await ready();
    await bus.publish(message);
    expect(publisher.published).toEqual([[CHANNEL, JSON.stringify(message)]]);
  });

  it('hands what arrives on its channel to every listener, each its own copy, until unsubscribed', async () => {
    const { bus, ready, arrive } = setUp();
    await ready();
    const [first, second]: BusMessage[][] = [[], []];
    const stopFirst = bus.subscribe((m) => first.push(m));
    bus.subscribe((m) => second.push(m));
    arrive(JSON.stringify(message));
    arrive(JSON.stringify({ ...message, event: { ...message.event, id: 'elsewhere' } }), 'other-channel');
    expect(first).toEqual([message]);
    expect(second).toEqual([message]);
    expect(first[0]).not.toBe(second[0]);
    stopFirst();
    arrive(JSON.stringify(message));
    expect([first.length, second.length]).toEqual([1, 2]);
  });

  it.each([
    ['not JSON', '{"event":', /not JSON \(9 characters\)/],
    ['JSON that is not a message', '[1,2]', /not an \{ event, audience \} message/],
    ['an event without an id', JSON.stringify({ ...message, event: { ...message.event, id: '' } }), /not an \{ event, audience \} message/],
    ['an audience of numbers', JSON.stringify({ ...message, audience: { agents: [1] } }), /not an \{ event, audience \} message/],
  ])('drops %s with a warning (never its content), and goes on delivering', async (_what, text, warning) => {
    const { bus, logs, ready, arrive } = setUp();
    await ready();
    const received: BusMessage[] = [];
    bus.subscribe((m) => received.push(m));
    expect(() => arrive(text)).not.toThrow();
    arrive(JSON.stringify(message));
    expect(received).toEqual([message]);
    const warnings = logs.filter(([level]) => level === 'warn').map(([, m]) => m);
    expect(warnings).toEqual([expect.stringMatching(warning)]);
    expect(warnings[0]).not.toContain(text);
  });

  it('keeps delivering to the others when a listener throws, and logs it', async () => {
    const { bus, logs, ready, arrive } = setUp();
    await ready();
    const received: BusMessage[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((m) => received.push(m));
    arrive(JSON.stringify(message));
    expect(received).toEqual([message]);
    expect(logs).toContainEqual(['error', 'A live-event subscriber failed: Error: boom']);
  });

  it('logs each state change once, without the password, and reports a gap when the subscription is back', async () => {
    const { bus, subscriber, logs, ready } = setUp();
    let gaps = 0;
    bus.onGap(() => gaps++);
    await ready();
    expect(gaps).toBe(1);
    logs.length = 0;

    subscriber.become('close');
    expect(bus.readiness().ready).toBe(false);
    subscriber.emit('error', new Error('connect ECONNREFUSED 10.0.0.5:6380'));
    subscriber.emit('error', new Error('connect ECONNREFUSED 10.0.0.5:6380'));
    subscriber.become('reconnecting');
    subscriber.become('ready');
    await bus.whenReady();
    expect(subscriber.subscriptions).toEqual([CHANNEL, CHANNEL]);
    expect(gaps).toBe(2);
    expect(logs).toEqual([
      ['warn', 'Live events: Redis subscriber lost its connection to redis://cache.internal:6380/2, reconnecting; events published until it is back will not reach this instance'],
      ['warn', 'Live events: Redis subscriber at redis://cache.internal:6380/2: connect ECONNREFUSED 10.0.0.5:6380'],
      ['log', 'Live events: Redis subscriber reconnected to redis://cache.internal:6380/2'],
      ['log', `Live events: subscribed to ${CHANNEL} on redis://cache.internal:6380/2`],
    ]);
    expect(JSON.stringify(logs)).not.toContain('s3cret');
  });

  it('is not ready while the publisher is down, and a publish then fails rather than vanishing', async () => {
    const { bus, publisher, ready } = setUp();
    await ready();
    publisher.become('close');
    expect(bus.readiness()).toEqual({ ready: false, detail: 'Redis at redis://cache.internal:6380/2 is not reachable (publisher: close, subscriber: subscribed)' });
    await expect(bus.publish(message)).rejects.toThrow('Connection is closed.');
  });

  it('on close quits a live connection, drops a dead one, delivers nothing more and refuses to publish', async () => {
    const { bus, publisher, subscriber, ready, arrive } = setUp();
    await ready();
    const received: BusMessage[] = [];
    bus.subscribe((m) => received.push(m));
    publisher.become('reconnecting');
    await bus.close();
    await bus.close();
    expect([publisher.quits, publisher.disconnects, subscriber.quits, subscriber.disconnects]).toEqual([0, 1, 1, 0]);
    arrive(JSON.stringify(message));
    expect(received).toEqual([]);
    expect(bus.readiness().ready).toBe(false);
    await expect(bus.publish(message)).rejects.toThrow('The Redis live-event bus is closed');
  });
});
