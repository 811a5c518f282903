import { InjectionToken } from '@angular/core';
import type { Observable } from 'rxjs';

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

/** Provided by `provideBrowserAdapters()` (softphone-browser-adapters: the browser's page) or a test's fake. */
export const PAGE_LIFECYCLE = new InjectionToken<PageLifecycle>('PAGE_LIFECYCLE');
