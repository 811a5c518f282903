import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BusMessage } from './event-bus';
import { RedisEventBus } from './redis-event-bus';

/**
 * Against the real Redis every development machine and CI runs (REDIS_URL, default 127.0.0.1:6379): two
 * buses are two API instances. Not skipped without Redis: it fails, saying what to start.
 */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A message as each instance's hub needs it; `n` makes it distinct. */
const message = (n: number, audience: BusMessage['audience'] = { agents: ['alice'] }): BusMessage => ({
  event: { id: `inst-${n}`, type: 'call.participants', at: new Date(Date.UTC(2026, 11, 6, 10, 0, n)).toISOString(), data: { n } } as unknown as BusMessage['event'],
  audience,
});

/** Collects what a bus delivers and lets the test await the n-th message. */
class Inbox {
  readonly messages: BusMessage[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  readonly listener = (m: BusMessage) => {
    this.messages.push(m);
    this.waiters = this.waiters.filter((w) => (w.count <= this.messages.length ? (w.resolve(), false) : true));
  };
  until(count: number): Promise<BusMessage[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages);
    return new Promise((resolve) => this.waiters.push({ count, resolve: () => resolve(this.messages) }));
  }
}

describe('RedisEventBus on a real Redis (two instances)', () => {
  const channel = `switchboard-test-${randomBytes(4).toString('hex')}:live-events`;
  const warnings: string[] = [];
  const log = { log: () => undefined, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  let raw: Redis;
  let a: RedisEventBus;
  let b: RedisEventBus;

  beforeAll(async () => {
    raw = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    let cause = '';
    raw.on('error', (error: Error) => (cause = error.message));
    try {
      await raw.connect();
      await raw.ping();
    } catch (error) {
      raw.disconnect();
      throw new Error(`This spec needs Redis at ${REDIS_URL} (${cause || (error as Error).message}). Start one (e.g. \`docker run -p 6379:6379 redis:7\`) or point TEST_REDIS_URL at one.`);
    }
    a = new RedisEventBus({ url: REDIS_URL, channel, log });
    b = new RedisEventBus({ url: REDIS_URL, channel, log });
    await Promise.all([a.whenReady(), b.whenReady()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    raw?.disconnect();
  });

  it('delivers what either instance publishes to the listeners of both, audience and all, in one order', async () => {
    const [onA, onB] = [new Inbox(), new Inbox()];
    const stops = [a.subscribe(onA.listener), b.subscribe(onB.listener)];
    try {
      const sent = [message(1, { agents: ['alice', 'bob'] }), message(2, { supervisors: true }), message(3, { agents: ['carol'], supervisors: true })];
      await a.publish(sent[0]);
      await b.publish(sent[1]);
      await a.publish(sent[2]);
      expect(await onA.until(3)).toEqual(sent);
      expect(await onB.until(3)).toEqual(sent);
      expect(a.readiness()).toEqual({ ready: true, detail: 'redis redis://127.0.0.1:6379' });
    } finally {
      stops.forEach((stop) => stop());
    }
  });

  it('drops a malformed message on the wire, with a warning, and delivers the next one', async () => {
    const [onA, onB] = [new Inbox(), new Inbox()];
    const stops = [a.subscribe(onA.listener), b.subscribe(onB.listener)];
    warnings.length = 0;
    try {
      await raw.publish(channel, '{"event": {"id": "half');
      await raw.publish(channel, JSON.stringify({ event: { id: 'x' }, audience: {} }));
      const good = message(4);
      await raw.publish(channel, JSON.stringify(good));
      // Redis delivers in order: once the good one is here, the two before it were dropped.
      expect(await onA.until(1)).toEqual([good]);
      expect(await onB.until(1)).toEqual([good]);
      expect(warnings.sort()).toEqual([
        expect.stringMatching(/not JSON/), expect.stringMatching(/not JSON/),
        expect.stringMatching(/not an \{ event, audience \} message/), expect.stringMatching(/not an \{ event, audience \} message/),
      ].sort());
    } finally {
      stops.forEach((stop) => stop());
    }
  });

  it('a gap: when the subscription is cut (CLIENT KILL), it reconnects, resubscribes, reports the gap and delivers again', async () => {
    const gapOn = (bus: RedisEventBus) => new Promise<void>((resolve) => {
      const stop = bus.onGap(() => {
        stop();
        resolve();
      });
    });
    const gaps = Promise.all([gapOn(a), gapOn(b)]);
    // Only this spec's subscribers (both buses name theirs after the channel): other suites share the server.
    const ids = String(await raw.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n')
      .filter((line) => line.includes(` name=${channel}:sub `)).map((line) => /^id=(\d+) /.exec(line)?.[1]);
    expect(ids).toHaveLength(2);
    for (const id of ids) await raw.call('CLIENT', 'KILL', 'ID', id as string);
    await gaps;
    const [onA, onB] = [new Inbox(), new Inbox()];
    const stops = [a.subscribe(onA.listener), b.subscribe(onB.listener)];
    try {
      await a.publish(message(5));
      expect(await onB.until(1)).toEqual([message(5)]);
      expect(await onA.until(1)).toEqual([message(5)]);
    } finally {
      stops.forEach((stop) => stop());
    }
  });

  it('closing one instance leaves the other publishing and receiving; the closed one refuses to publish', async () => {
    const third = new RedisEventBus({ url: REDIS_URL, channel, log });
    await third.whenReady();
    const [onThird, onB] = [new Inbox(), new Inbox()];
    third.subscribe(onThird.listener);
    const stop = b.subscribe(onB.listener);
    try {
      await third.close();
      expect(third.readiness().ready).toBe(false);
      await expect(third.publish(message(6))).rejects.toThrow('closed');
      await b.publish(message(7));
      await a.publish(message(8));
      expect(await onB.until(2)).toEqual([message(7), message(8)]);
      expect(onThird.messages).toEqual([]);
    } finally {
      stop();
    }
  });

  it('is not ready while Redis cannot be reached, and says where', async () => {
    // Port 1 on loopback: nothing listens there, so every connection attempt is refused.
    const unreachable = new RedisEventBus({ url: 'redis://:pw@127.0.0.1:1', channel, log: { log: () => undefined, warn: () => undefined, error: () => undefined } });
    try {
      expect(unreachable.readiness()).toEqual({ ready: false, detail: expect.stringMatching(/^Redis at redis:\/\/127\.0\.0\.1:1 is not reachable \(publisher: \w+, subscriber: \w+\)$/) });
      await expect(unreachable.publish(message(9))).rejects.toThrow();
      expect(unreachable.readiness().ready).toBe(false);
    } finally {
      await unreachable.close();
    }
  });
});
