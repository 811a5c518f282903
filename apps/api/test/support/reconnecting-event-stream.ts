import { get, type ClientRequest } from 'node:http';
import { LIVE_EVENTS_PATH, type LiveEvent } from '@switchboard/shared-contracts';

export interface ReceivedEvent {
  readonly event: LiveEvent;
  /** The SSE `id:` the frame carried (null: none, as on a resumed hello). */
  readonly sseId: string | null;
  /** Date.now() when the frame was parsed. */
  readonly receivedAt: number;
  /** Which connection of this stream brought it (0 = the first). */
  readonly connection: number;
}

/**
 * What a browser's EventSource does, for a spec: one stream over node:http (undici keeps a spare
 * connection when a streaming fetch is aborted); when the connection ends it waits the server's last
 * `retry:` (the API sends 3000 ms) and reconnects with `Last-Event-ID` = the last `id:` it saw, until
 * closed. A refused reconnect (nothing listening, or a proxy's 502) is tried again after the same wait.
 * Every event is kept, in order, across connections.
 */
export class ReconnectingEventStream {
  readonly received: ReceivedEvent[] = [];
  private lastEventId: string | null;
  private connections = 0;
  /** The reconnection delay: `retryMs` until the server sends its own `retry:`. */
  private reconnectMs: number;
  private request: ClientRequest | null = null;
  private closed = false;
  /** A reconnect the server refused for good (401, 429…): waiting for more events would hang. */
  private failure: Error | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly url: string, private readonly cookie: string, lastEventId: string | null, retryMs: number) {
    this.lastEventId = lastEventId;
    this.reconnectMs = retryMs;
  }

  /** Connections attempted so far, refused ones included (1 while the first is open). */
  get connectionAttempts(): number {
    return this.connections;
  }

  /** Resolves once the first connection answered 200 (its hello may still be on its way). */
  static async open(baseUrl: string, cookie: string, { lastEventId = null, retryMs = 200 }: { lastEventId?: string | null; retryMs?: number } = {}): Promise<ReconnectingEventStream> {
    const stream = new ReconnectingEventStream(`${baseUrl}${LIVE_EVENTS_PATH}`, cookie, lastEventId, retryMs);
    await stream.connect();
    return stream;
  }

  /** The `session.hello` of each connection, in order. */
  hellos(): Array<LiveEvent<'session.hello'>> {
    return this.received.map((r) => r.event).filter((e): e is LiveEvent<'session.hello'> => e.type === 'session.hello');
  }

  /** Resolves with the first event (from `from` on) that matches; waits across reconnections. */
  async waitFor(predicate: (received: ReceivedEvent) => boolean, from = 0): Promise<ReceivedEvent> {
    for (;;) {
      const found = this.received.slice(from).find(predicate);
      if (found) return found;
      if (this.failure) throw this.failure;
      if (this.closed) throw new Error('stream closed before the awaited event');
      await new Promise<void>((resolveWait) => this.waiters.add(resolveWait));
    }
  }

  close(): void {
    this.closed = true;
    this.request?.destroy();
    this.wake();
  }

  private connect(): Promise<void> {
    const connection = this.connections++;
    const headers: Record<string, string> = { accept: 'text/event-stream', cookie: this.cookie, ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}) };
    return new Promise<void>((resolveOpen, reject) => {
      let opened = false;
      let over = false;
      /** This connection is done: the next one starts (once), and settles `open` if this one never did. */
      const next = (delayMs: number) => {
        if (over || this.closed) return;
        over = true;
        const later = this.connectLater(delayMs);
        if (!opened) later.then(resolveOpen, reject);
        else later.catch((error: Error) => this.fail(error));
      };
      const request = get(this.url, { headers, agent: false }, (incoming) => {
        if (incoming.statusCode !== 200) {
          incoming.resume();
          // The proxy's 502 while no upstream is live: try again, as EventSource does after a network error.
          if (incoming.statusCode === 502) next(this.reconnectMs);
          else {
            over = true;
            reject(new Error(`stream answered ${incoming.statusCode}`));
          }
          return;
        }
        opened = true;
        resolveOpen();
        let pending = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          pending += chunk;
          let end: number;
          while ((end = pending.indexOf('\n\n')) >= 0) {
            const fields = pending.slice(0, end).split('\n');
            pending = pending.slice(end + 2);
            const data = fields.find((field) => field.startsWith('data: '));
            const sseId = fields.find((field) => field.startsWith('id: '))?.slice('id: '.length) ?? null;
            if (sseId !== null) this.lastEventId = sseId;
            const retry = fields.find((field) => field.startsWith('retry: '));
            if (retry !== undefined) this.reconnectMs = Number(retry.slice('retry: '.length));
            if (data !== undefined) this.push({ event: JSON.parse(data.slice('data: '.length)) as LiveEvent, sseId, receivedAt: Date.now(), connection });
          }
        });
        // The stream ended (the instance died, the proxy cut it): reconnect with the last id seen.
        incoming.once('close', () => next(this.reconnectMs));
      });
      // Refused or reset before an answer: nothing is listening there now.
      request.once('error', () => next(this.reconnectMs));
      this.request = request;
    });
  }

  private async connectLater(delayMs: number): Promise<void> {
    if (delayMs > 0) await new Promise((resolveDelay) => setTimeout(resolveDelay, delayMs));
    if (!this.closed) await this.connect();
  }

  private fail(error: Error): void {
    this.failure = error;
    this.wake();
  }

  private push(received: ReceivedEvent): void {
    this.received.push(received);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      this.waiters.delete(waiter);
      waiter();
    }
  }
}
