import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';
import type { PageLifecycle, PageLifecycleEvent, UnloadAttempt } from '@switchboard/softphone-data-access-voice';
import { EMPTY, filter, fromEvent, map, merge, type Observable } from 'rxjs';

/** The browser's page: window online/offline, document visibilitychange/freeze/resume, pageshow, beforeunload. */
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
