import { Injectable, inject } from '@angular/core';
import { API_ROUTES, type QualityRecordInput } from '@switchboard/shared-contracts';
import { QUALITY_BROWSER } from './quality-browser';

/** Unsent records kept at most (oldest dropped first): a browser that never reaches the API does not fill up. */
export const OUTBOX_CAPACITY = 20;
export const OUTBOX_STORAGE_KEY = 'switchboard.quality.outbox.v1';
/**
 * Browsers cap keepalive requests and beacons at 64 KiB in flight (all of them together), and refuse bigger
 * ones. Below this a record goes with keepalive / as a beacon; above it (a long call) with a plain fetch, and
 * at page close it stays in the outbox for the next load.
 */
export const KEEPALIVE_MAX_BYTES = 60 * 1024;

export interface OutboxEntry {
  /** The agent whose session recorded it: sent only while that agent is signed in (the API takes the session's identity). */
  readonly identity: string;
  readonly callSid: string;
  readonly json: string;
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/**
 * Every record goes through here: kept in localStorage first, then sent; removed once the API answered 2xx
 * (or 400: it will never be accepted, retrying only blocks the rest). The API stores a leg once, so sending
 * a record twice (a retry, a beacon after a keepalive fetch) is harmless.
 */
@Injectable({ providedIn: 'root' })
export class QualityOutbox {
  private readonly browser = inject(QUALITY_BROWSER);
  /** Mirror of the stored outbox; the only copy when storage is unavailable. */
  private entries: OutboxEntry[] = this.read();
  private readonly inFlight = new Set<string>();

  /** Unsent records (oldest first). */
  get pending(): readonly OutboxEntry[] {
    return this.entries;
  }

  /** Keep the record, then send it (keepalive when small, so a page closing now does not cancel it). */
  submit(identity: string, record: QualityRecordInput): Promise<void> {
    return this.send(this.keep(identity, record));
  }

  /** Keep the record without sending it now (the page is closing: beaconAll sends it). */
  keep(identity: string, record: QualityRecordInput): OutboxEntry {
    const entry: OutboxEntry = { identity, callSid: record.callSid, json: JSON.stringify(record) };
    this.sync();
    this.entries = [...this.entries.filter((e) => !(e.identity === identity && e.callSid === entry.callSid)), entry].slice(-OUTBOX_CAPACITY);
    this.write();
    return entry;
  }

  /** Retry every unsent record of this agent, one after another (start-up after sign-in, `online`). */
  async flush(identity: string): Promise<void> {
    for (const entry of this.entries.filter((e) => e.identity === identity)) {
      if (!this.entries.includes(entry)) continue;
      await this.send(entry);
    }
  }

  /**
   * The page is going away: beacon this agent's unsent records while they fit in the browser's 64 KiB
   * budget. They stay in the outbox (a beacon is queued, not confirmed) and are sent again at the next load.
   */
  beaconAll(identity: string): number {
    let budget = KEEPALIVE_MAX_BYTES;
    let sent = 0;
    for (const entry of this.entries.filter((e) => e.identity === identity)) {
      const size = byteLength(entry.json);
      if (size > budget) continue;
      if (this.browser.beacon(API_ROUTES.quality.records, entry.json)) {
        budget -= size;
        sent += 1;
      }
    }
    return sent;
  }

  private async send(entry: OutboxEntry): Promise<void> {
    const key = `${entry.identity}\u0000${entry.callSid}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const status = await this.browser.post(API_ROUTES.quality.records, entry.json, byteLength(entry.json) <= KEEPALIVE_MAX_BYTES);
      if ((status >= 200 && status < 300) || status === 400) this.remove(entry);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private remove(entry: OutboxEntry): void {
    this.sync();
    this.entries = this.entries.filter((e) => !(e.identity === entry.identity && e.callSid === entry.callSid));
    this.write();
  }

  /**
   * Another tab of the app may have written since (a tab that had the phone before): take the union, so
   * neither tab's records are lost; one sent twice is harmless.
   */
  private sync(): void {
    const key = (e: OutboxEntry) => `${e.identity}\u0000${e.callSid}`;
    const stored = this.read();
    const known = new Set(stored.map(key));
    this.entries = [...stored, ...this.entries.filter((e) => !known.has(key(e)))].slice(-OUTBOX_CAPACITY);
  }

  private read(): OutboxEntry[] {
    try {
      const raw = this.browser.storage?.getItem(OUTBOX_STORAGE_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      if (!Array.isArray(parsed)) return [];
      return parsed
        .filter((e): e is OutboxEntry => typeof e === 'object' && e !== null && typeof e.identity === 'string' && typeof e.callSid === 'string' && typeof e.json === 'string')
        .slice(-OUTBOX_CAPACITY);
    } catch {
      // Unreadable (edited by hand, or another version's): start afresh rather than fail.
      return [];
    }
  }

  private write(): void {
    const storage = this.browser.storage;
    if (!storage) return;
    let kept = this.entries;
    // Over the storage quota (a few long calls): drop the oldest until it fits; the rest stay in memory.
    while (kept.length > 0) {
      try {
        storage.setItem(OUTBOX_STORAGE_KEY, JSON.stringify(kept));
        return;
      } catch {
        kept = kept.slice(1);
      }
    }
    try {
      storage.removeItem(OUTBOX_STORAGE_KEY);
    } catch {
      // Nothing more to do: memory holds them until the page closes.
    }
  }
}
