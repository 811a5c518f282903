import { InjectionToken } from '@angular/core';
import type { Observable } from 'rxjs';

/** Whether the agent can see the softphone's tab (`document.visibilityState`). */
export type TabVisibility = 'visible' | 'hidden';

/**
 * The tab's title, and whether the agent can see the tab at all: a ringing call flashes the title
 * only while the tab is hidden (another tab in front, the window minimised), so both live here.
 */
export interface DocumentTitle {
  /** The visibility now on subscription, then each change. */
  readonly visibility$: Observable<TabVisibility>;
  read(): string;
  write(title: string): void;
}

/** Provided by `provideBrowserAdapters()` (softphone-browser-adapters: the page's document) or a test's fake. */
export const DOCUMENT_TITLE = new InjectionToken<DocumentTitle>('DOCUMENT_TITLE');
