import { InjectionToken } from '@angular/core';
import { EMPTY, Observable, merge } from 'rxjs';

/** Page events that make the outbox act: `pagehide` (send what is left now) and `online` (retry). */
export type QualityPageEvent = 'pagehide' | 'online';

/** The browser facilities record sending needs; a port so the unit tests run without a browser. */
export interface QualityBrowser {
  /** localStorage, or null where it is unavailable (private mode, disabled): records then live in memory only. */
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** POST JSON with the session cookie; resolves with the HTTP status, 0 when the network failed. */
  post(url: string, json: string, keepalive: boolean): Promise<number>;
  /** navigator.sendBeacon: true when the browser queued it. */
  beacon(url: string, json: string): boolean;
  readonly pageEvents$: Observable<QualityPageEvent>;
}

function windowEvent(name: QualityPageEvent): Observable<QualityPageEvent> {
  if (typeof window === 'undefined') return EMPTY;
  return new Observable<QualityPageEvent>((subscriber) => {
    const handler = () => subscriber.next(name);
    window.addEventListener(name, handler);
    return () => window.removeEventListener(name, handler);
  });
}

function localStorageOrNull(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Access itself throws when storage is disabled.
    return null;
  }
}

export const QUALITY_BROWSER = new InjectionToken<QualityBrowser>('QUALITY_BROWSER', {
  providedIn: 'root',
  factory: (): QualityBrowser => ({
    storage: localStorageOrNull(),
    post: async (url, json, keepalive) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: json,
          keepalive,
        });
        return response.status;
      } catch {
        return 0;
      }
    },
    // text/plain is a CORS-safelisted type, so the beacon goes without a preflight; the API parses it as JSON.
    beacon: (url, json) =>
      typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function'
        ? navigator.sendBeacon(url, new Blob([json], { type: 'text/plain;charset=UTF-8' }))
        : false,
    pageEvents$: merge(windowEvent('pagehide'), windowEvent('online')),
  }),
});
