import { DOCUMENT } from '@angular/common';
import { inject, Injectable, InjectionToken } from '@angular/core';
import { EMPTY, fromEvent, map, merge, filter, type Observable } from 'rxjs';

/** Page events after which the registration may be stale (reliability.md §4.6, R8). */
export type PageLifecycleEvent =
  | 'online'
  | 'offline'
  | 'visible'
  | 'hidden'
  | 'freeze'
  | 'resume'
  /** `pageshow` with `persisted`: the page came back from the back/forward cache. */
  | 'pageshow-persisted';

/** The page is about to unload (`beforeunload`). */
export interface UnloadAttempt {
  /** Makes the browser ask the agent before leaving; must be called while the event is handled (synchronously). */
  confirmLeaving(): void;
}

export interface PageLifecycle {
  readonly events$: Observable<PageLifecycleEvent>;
  readonly unloadAttempts$: Observable<UnloadAttempt>;
}

/** The browser's page: window online/offline, document visibilitychange/freeze/resume, pageshow. */
@Injectable({ providedIn: 'root' })
export class BrowserPageLifecycle implements PageLifecycle {
  private readonly document = inject(DOCUMENT);
  readonly events$: Observable<PageLifecycleEvent> = this.createEvents();
  readonly unloadAttempts$: Observable<UnloadAttempt> = this.createUnloadAttempts();

  private createUnloadAttempts(): Observable<UnloadAttempt> {
    const view = this.document.defaultView;
    if (!view) return EMPTY;
    return fromEvent<BeforeUnloadEvent>(view, 'beforeunload').pipe(
      map((event): UnloadAttempt => ({
        confirmLeaving: () => {
          event.preventDefault();
          // Older Chromium and Safari look at returnValue instead; the text itself is never shown.
          event.returnValue = '';
        },
      })),
    );
  }

  private createEvents(): Observable<PageLifecycleEvent> {
    const view = this.document.defaultView;
    if (!view) return EMPTY;
    return merge(
      fromEvent(view, 'online').pipe(map((): PageLifecycleEvent => 'online')),
      fromEvent(view, 'offline').pipe(map((): PageLifecycleEvent => 'offline')),
      fromEvent(this.document, 'visibilitychange').pipe(
        map((): PageLifecycleEvent => (this.document.visibilityState === 'visible' ? 'visible' : 'hidden')),
      ),
      fromEvent(this.document, 'freeze').pipe(map((): PageLifecycleEvent => 'freeze')),
      fromEvent(this.document, 'resume').pipe(map((): PageLifecycleEvent => 'resume')),
      fromEvent<PageTransitionEvent>(view, 'pageshow').pipe(
        filter((event) => event.persisted),
        map((): PageLifecycleEvent => 'pageshow-persisted'),
      ),
    );
  }
}

export const PAGE_LIFECYCLE = new InjectionToken<PageLifecycle>('PAGE_LIFECYCLE', {
  providedIn: 'root',
  factory: () => inject(BrowserPageLifecycle),
});
