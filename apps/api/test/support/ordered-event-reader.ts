import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { LIVE_EVENTS_PATH, type LiveEvent } from '@switchboard/shared-contracts';

type Entry = { event: LiveEvent; id: string | null };

export interface EventReaderOptions {
  /** Sent as `Last-Event-ID`, as the browser does when it reconnects by itself. */
  readonly lastEventId?: string;
  /**
   * Events this reader drops, for a spec whose subject is something else (the team floor's `agent.*` and
   * `floor.*` events follow an agent's leg into a call). A spec about those events passes nothing here.
   */
  readonly ignore?: (event: LiveEvent) => boolean;
}

/** Drops the team floor's events: for specs about call events only. */
export const IGNORE_FLOOR_EVENTS = (event: LiveEvent): boolean => event.type.startsWith('agent.') || event.type.startsWith('floor.');

/**
 * An SSE reader on its own HTTP connection (node:http: undici opens a spare connection when a streaming
 * fetch is aborted) that hands out the events one by one, in order, with the SSE id each frame carried.
 * `LiveEventReader` is the other shape: it keeps every event and finds the first that matches.
 */
export class EventReader {
  private readonly events: Entry[] = [];
  private readonly waiters: Array<(entry: Entry | null) => void> = [];
  private ended = false;
  private pending = '';

  private constructor(private readonly request: ClientRequest, incoming: IncomingMessage, private readonly ignore: (event: LiveEvent) => boolean) {
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => {
      this.pending += chunk;
      let end: number;
      while ((end = this.pending.indexOf('\n\n')) >= 0) {
        const fields = this.pending.slice(0, end).split('\n');
        this.pending = this.pending.slice(end + 2);
        const data = fields.find((field) => field.startsWith('data: '));
        const id = fields.find((field) => field.startsWith('id: '))?.slice('id: '.length) ?? null;
        if (data !== undefined) this.push({ event: JSON.parse(data.slice('data: '.length)) as LiveEvent, id });
      }
    });
    incoming.once('close', () => {
      this.ended = true;
      for (const waiter of this.waiters.splice(0)) waiter(null);
    });
  }

  static open(api: { readonly url: string }, cookie: string, options: EventReaderOptions = {}): Promise<EventReader> {
    const headers: Record<string, string> = { accept: 'text/event-stream', cookie, ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}) };
    const ignore = options.ignore ?? (() => false);
    return new Promise((resolve, reject) => {
      const request = get(`${api.url}${LIVE_EVENTS_PATH}`, { headers, agent: false },
        (incoming) => (incoming.statusCode === 200 ? resolve(new EventReader(request, incoming, ignore)) : reject(new Error(`stream answered ${incoming.statusCode}`))));
      request.once('error', reject);
    });
  }

  /** The next event and the SSE id its frame carried (null: none, as on a resumed hello). */
  async nextWithId(): Promise<Entry> {
    const entry = this.events.shift() ?? (this.ended ? null : await new Promise<Entry | null>((resolve) => this.waiters.push(resolve)));
    if (entry === null) throw new Error('stream ended before the next event');
    return entry;
  }

  async next(): Promise<LiveEvent> {
    return (await this.nextWithId()).event;
  }

  close(): void {
    this.request.destroy();
  }

  private push(entry: Entry): void {
    if (this.ignore(entry.event)) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(entry);
    else this.events.push(entry);
  }
}
