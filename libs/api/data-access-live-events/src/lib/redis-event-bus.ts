import { Redis, type RedisOptions } from 'ioredis';
import { redactRedisUrl } from '@switchboard/api-data-access-config';
import { isBusMessage, type BusListener, type BusMessage, type BusReadiness, type EventBus } from './event-bus';

/** The channel every instance publishes to and subscribes to, after REDIS_KEY_PREFIX. */
export const LIVE_EVENTS_CHANNEL_SUFFIX = 'live-events';

/** The part of an ioredis connection the bus uses; unit tests hand in a fake. */
export interface RedisConnection {
  readonly status: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the listener type of ioredis and of EventEmitter
  on(event: string, listener: (...args: any[]) => void): unknown;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

export type RedisRole = 'publisher' | 'subscriber';

export interface RedisEventBusLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RedisEventBusOptions {
  /** REDIS_URL as validated by the config (may hold a password: only its redacted form is ever logged). */
  readonly url: string;
  /** The full channel name, e.g. `switchboard:live-events`. */
  readonly channel: string;
  readonly log: RedisEventBusLog;
  /** Opens a connection; defaults to ioredis. */
  readonly connect?: (role: RedisRole, options: RedisOptions) => RedisConnection;
}

/**
 * The {@link EventBus} of several API instances: one Redis pub/sub channel that every instance publishes
 * to and subscribes to, so each hub sees every event (its own too, back from Redis, so all instances see
 * them in the one order Redis gives them) and picks the recipients among its own streams.
 *
 * Two connections, as Redis requires (a subscribed connection can only subscribe). ioredis reconnects
 * both; the bus subscribes again itself on each `ready` (not ioredis's autoResubscribe) so it knows when
 * the subscription is really back: until then {@link readiness} is false, and once back {@link onGap}
 * listeners hear that events published meanwhile never reached this instance.
 */
export class RedisEventBus implements EventBus {
  private readonly publisher: RedisConnection;
  private readonly subscriber: RedisConnection;
  private readonly listeners = new Set<BusListener>();
  private readonly gapListeners = new Set<() => void>();
  private readonly readyWaiters: Array<() => void> = [];
  private readonly where: string;
  private subscribed = false;
  private closing = false;

  constructor(private readonly options: RedisEventBusOptions) {
    this.where = redactRedisUrl(options.url);
    const connect = options.connect ?? ((_role, redisOptions) => new Redis(options.url, redisOptions));
    const common: RedisOptions = { enableReadyCheck: true, connectTimeout: 5000 };
    // A publish waits through at most two reconnect attempts, then rejects: the caller hears that the
    // event was not sent instead of it hanging, or being dropped, while Redis is away.
    this.publisher = connect('publisher', { ...common, maxRetriesPerRequest: 2, connectionName: `${options.channel}:pub` });
    this.subscriber = connect('subscriber', { ...common, autoResubscribe: false, connectionName: `${options.channel}:sub` });
    this.watch('publisher', this.publisher);
    this.watch('subscriber', this.subscriber);
    this.subscriber.on('ready', () => this.subscribeChannel());
    this.subscriber.on('close', () => {
      this.subscribed = false;
    });
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.options.channel) this.receive(text);
    });
  }

  async publish(message: BusMessage): Promise<void> {
    if (this.closing) throw new Error('The Redis live-event bus is closed');
    await this.publisher.publish(this.options.channel, JSON.stringify(message));
  }

  subscribe(listener: BusListener): () => void {
    // Wrapped, so subscribing the same function twice gives two independent subscriptions.
    const own: BusListener = (message) => listener(message);
    this.listeners.add(own);
    return () => {
      this.listeners.delete(own);
    };
  }

  onGap(listener: () => void): () => void {
    const own = () => listener();
    this.gapListeners.add(own);
    return () => {
      this.gapListeners.delete(own);
    };
  }

  readiness(): BusReadiness {
    if (this.isReady()) return { ready: true, detail: `redis ${this.where}` };
    const subscriber = this.subscribed ? 'subscribed' : this.subscriber.status === 'ready' ? 'not subscribed yet' : this.subscriber.status;
    return { ready: false, detail: `Redis at ${this.where} is not reachable (publisher: ${this.publisher.status}, subscriber: ${subscriber})` };
  }

  /** Resolves once both connections are up and the channel is subscribed (tests, tools). */
  whenReady(): Promise<void> {
    return this.isReady() ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.listeners.clear();
    this.gapListeners.clear();
    await Promise.all([this.publisher, this.subscriber].map(async (connection) => {
      // QUIT on a live connection lets queued publishes go first; on a dead one it would wait for a reconnect.
      if (connection.status !== 'ready') return connection.disconnect();
      try {
        await connection.quit();
      } catch {
        connection.disconnect();
      }
    }));
  }

  private isReady(): boolean {
    return !this.closing && this.subscribed && this.publisher.status === 'ready';
  }

  private subscribeChannel(): void {
    this.subscriber.subscribe(this.options.channel).then(
      () => {
        if (this.closing) return;
        this.subscribed = true;
        this.options.log.log(`Live events: subscribed to ${this.options.channel} on ${this.where}`);
        // Also on the first subscription: a stream opened before it (Redis late at start-up) missed events too.
        for (const listener of [...this.gapListeners]) {
          try {
            listener();
          } catch (error) {
            this.options.log.error(`A live-event gap listener failed: ${String(error)}`);
          }
        }
        this.settleReadyWaiters();
      },
      // The connection dropped again meanwhile: the next `ready` subscribes again.
      (error: unknown) => this.options.log.warn(`Live events: could not subscribe to ${this.options.channel}: ${messageOf(error)}`),
    );
  }

  private receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.options.log.warn(`Dropped a live event from Redis that is not JSON (${text.length} characters)`);
      return;
    }
    if (!isBusMessage(message)) {
      this.options.log.warn(`Dropped a live event from Redis that is not an { event, audience } message (${text.length} characters)`);
      return;
    }
    let copy: BusMessage | null = message;
    for (const listener of [...this.listeners]) {
      try {
        // Each listener its own copy, as the in-process bus gives.
        listener(copy ?? (JSON.parse(text) as BusMessage));
      } catch (error) {
        // One failing subscriber must not keep the event from the others.
        this.options.log.error(`A live-event subscriber failed: ${String(error)}`);
      }
      copy = null;
    }
  }

  /** Logs each connection's state changes once each (ioredis repeats an error at every retry). */
  private watch(role: RedisRole, connection: RedisConnection): void {
    let lastError: string | null = null;
    let wasReady = false;
    let up = false;
    connection.on('ready', () => {
      this.options.log.log(`Live events: Redis ${role} ${wasReady ? 'reconnected to' : 'connected to'} ${this.where}`);
      wasReady = true;
      up = true;
      lastError = null;
      this.settleReadyWaiters();
    });
    connection.on('close', () => {
      if (up && !this.closing) {
        this.options.log.warn(`Live events: Redis ${role} lost its connection to ${this.where}, reconnecting; ${role === 'subscriber'
          ? 'events published until it is back will not reach this instance' : 'publishes wait for it, and fail after two attempts'}`);
      }
      up = false;
    });
    connection.on('error', (error: unknown) => {
      const message = messageOf(error);
      if (message === lastError || this.closing) return;
      lastError = message;
      this.options.log.warn(`Live events: Redis ${role} at ${this.where}: ${message}`);
    });
    connection.on('end', () => {
      if (!this.closing) this.options.log.error(`Live events: Redis ${role} gave up reconnecting to ${this.where}`);
    });
  }

  private settleReadyWaiters(): void {
    if (!this.isReady()) return;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }
}

/** The error's message only: never the stack or the options, which hold the URL. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
