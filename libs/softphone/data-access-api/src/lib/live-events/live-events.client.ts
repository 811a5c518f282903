import { inject, Injectable } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { LIVE_EVENTS_PATH, type LiveEvent, type LiveEventType } from '@switchboard/shared-contracts';
import { distinctUntilChanged, EMPTY, filter, type Observable, share, switchMap } from 'rxjs';
import { SessionStore } from '../session/session.store';
import { LIVE_EVENT_SOURCE_FACTORY, LIVE_EVENTS_WARN } from './live-event-source';
import { liveEventStream } from './live-event-stream';

/** After the browser's own reconnection gave up: 1 s, 2 s, 4 s … at most 30 s. */
export const LIVE_EVENTS_RECONNECT = { initialDelayMs: 1000, maxDelayMs: 30_000 } as const;

/**
 * The API's real-time channel (`GET /api/events`) as typed events. One EventSource for all subscribers,
 * open only while someone listens and the agent is signed in: signing out closes it, signing in again
 * opens a fresh one.
 */
@Injectable({ providedIn: 'root' })
export class LiveEventsClient {
  private readonly openSource = inject(LIVE_EVENT_SOURCE_FACTORY);
  private readonly warn = inject(LIVE_EVENTS_WARN);

  readonly events$: Observable<LiveEvent> = toObservable(inject(SessionStore).isSignedIn).pipe(
    distinctUntilChanged(),
    switchMap((signedIn) => signedIn
      ? liveEventStream({ url: LIVE_EVENTS_PATH, openSource: this.openSource, warn: this.warn, ...LIVE_EVENTS_RECONNECT })
      : EMPTY),
    share(),
  );

  /** Events of one type, with `data` typed accordingly. */
  ofType<T extends LiveEventType>(type: T): Observable<LiveEvent<T>> {
    // A guard on the union, not a predicate to LiveEvent<T>: TypeScript cannot relate a generic member of a
    // distributive union to the union itself (TS2677), so the narrowing is stated once here.
    return this.events$.pipe(filter((event) => event.type === type)) as Observable<LiveEvent<T>>;
  }
}
