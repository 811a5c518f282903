import type { BusMessage } from '@switchboard/api-data-access-live-events';

/**
 * The last `capacity` published events this instance saw, in arrival order, so a stream that
 * reconnects with `Last-Event-ID` gets what it missed. An id it no longer holds (or never saw) gives
 * null: the client must resync.
 */
export class ReplayBuffer {
  private readonly entries: BusMessage[] = [];
  /** Event id → its arrival number; `entries[0]` has arrival number `firstArrival`. */
  private readonly arrivals = new Map<string, number>();
  private firstArrival = 0;
  private nextArrival = 0;

  /**
   * @param startId the position before the first event: a stream opened while the buffer was empty
   *   resumes from it, completely only while nothing has been evicted.
   */
  constructor(private readonly capacity: number, readonly startId: string) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('ReplayBuffer capacity must be a positive integer');
  }

  get size(): number {
    return this.entries.length;
  }

  /** The position after the newest event: what a stream opened now resumes from. */
  head(): string {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1].event.id : this.startId;
  }

  push(message: BusMessage): void {
    // The same event twice (a bus redelivering) is kept once, so a resume never replays it twice.
    if (this.arrivals.has(message.event.id)) return;
    this.entries.push(message);
    this.arrivals.set(message.event.id, this.nextArrival++);
    if (this.entries.length > this.capacity) {
      const evicted = this.entries.shift() as BusMessage;
      this.arrivals.delete(evicted.event.id);
      this.firstArrival++;
    }
  }

  /** Events after `lastEventId`, oldest first; null when that position is no longer (or never was) known. */
  since(lastEventId: string): BusMessage[] | null {
    if (lastEventId === this.startId) return this.firstArrival === 0 ? [...this.entries] : null;
    const arrival = this.arrivals.get(lastEventId);
    return arrival === undefined ? null : this.entries.slice(arrival - this.firstArrival + 1);
  }
}
