import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';
import type { DocumentTitle, TabVisibility } from '@switchboard/softphone-data-access-voice';
import { defer, fromEvent, map, startWith, type Observable } from 'rxjs';

/** The page's `document.title` and `visibilityState` (with its `visibilitychange` event). */
@Injectable({ providedIn: 'root' })
export class BrowserDocumentTitle implements DocumentTitle {
  private readonly document = inject(DOCUMENT);

  readonly visibility$: Observable<TabVisibility> = defer(() =>
    fromEvent(this.document, 'visibilitychange').pipe(
      startWith(null),
      // 'prerender' (old browsers) counts as hidden: the agent cannot see it either.
      map((): TabVisibility => (this.document.visibilityState === 'visible' ? 'visible' : 'hidden')),
    ),
  );

  read(): string {
    return this.document.title;
  }

  write(title: string): void {
    this.document.title = title;
  }
}
