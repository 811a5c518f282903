import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { LIVE_EVENTS_PATH, type LiveEvent, type LiveEventMap, type LiveEventType } from '@switchboard/shared-contracts';

/**
 * One agent's live stream for a spec, on its own HTTP connection (node:http: undici keeps a spare
 * connection when a streaming fetch is aborted). Keeps every event; `waitFor` resolves with the first one,
 * seen or still to come, of a type that satisfies a check, so a spec awaits the event instead of sleeping.
 */
export class LiveEventReader {
  readonly events: LiveEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private ended = false;
  private pending = '';

  private constructor(private readonly request: ClientRequest, incoming: IncomingMessage) {
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => {
      this.pending += chunk;
      let end: number;
      while ((end = this.pending.indexOf('\n\n')) >= 0) {
        const data = this.pending.slice(0, end).split('\n').find((field) => field.startsWith('data: '));
        this.pending = this.pending.slice(end + 2);
        if (data !== undefined) this.events.push(JSON.parse(data.slice('data: '.length)) as LiveEvent);
      }
      for (const waiter of [...this.waiters]) waiter();
    });
    incoming.once('close', () => {
      this.ended = true;
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** Opens the stream of the agent whose session `cookie` is, on the API at `apiUrl`; resolves once it answered 200. */
  static open(apiUrl: string, cookie: string): Promise<LiveEventReader> {
    return new Promise((resolve, reject) => {
      const request = get(`${apiUrl}${LIVE_EVENTS_PATH}`, { headers: { accept: 'text/event-stream', cookie }, agent: false },
        (incoming) => (incoming.statusCode === 200 ? resolve(new LiveEventReader(request, incoming)) : reject(new Error(`stream answered ${incoming.statusCode}`))));
      request.once('error', reject);
    });
  }

  /** The first event of `type` whose data passes `check`; rejects if the stream ends first. */
  waitFor<T extends LiveEventType>(type: T, check: (data: LiveEventMap[T]) => boolean = () => true): Promise<LiveEvent<T>> {
    // Widened: the list holds every type; the one found is of `type`.
    const find = () => this.events.find((event) => event.type === type && check(event.data as LiveEventMap[T])) as LiveEvent<T> | undefined;
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const found = find();
        if (found) {
          this.waiters.delete(attempt);
          resolve(found);
        } else if (this.ended) {
          this.waiters.delete(attempt);
          reject(new Error(`the stream ended before a ${type} event; it had: ${this.events.map((event) => event.type).join(', ')}`));
        }
      };
      this.waiters.add(attempt);
      attempt();
    });
  }

  close(): void {
    this.request.destroy();
  }
}
