import { Subject } from 'rxjs';
import type { QualityBrowser, QualityPageEvent } from '../sending/quality-browser';

export class MemoryStorage {
  readonly items = new Map<string, string>();
  /** Make setItem throw past this many characters (a storage quota). */
  quota = Infinity;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (value.length > this.quota) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** Records every POST and beacon; POSTs answer `status` (settable per test). */
export class FakeQualityBrowser implements QualityBrowser {
  readonly storage = new MemoryStorage();
  readonly posts: { url: string; json: string; keepalive: boolean }[] = [];
  readonly beacons: { url: string; json: string }[] = [];
  status = 201;
  beaconAccepts = true;
  private readonly page = new Subject<QualityPageEvent>();
  readonly pageEvents$ = this.page.asObservable();

  async post(url: string, json: string, keepalive: boolean): Promise<number> {
    this.posts.push({ url, json, keepalive });
    return this.status;
  }
  beacon(url: string, json: string): boolean {
    this.beacons.push({ url, json });
    return this.beaconAccepts;
  }
  fire(event: QualityPageEvent): void {
    this.page.next(event);
  }
}
