import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import type { PageLifecycleEvent } from '@switchboard/softphone-data-access-voice';
import { BrowserPageLifecycle } from './browser-page-lifecycle';

describe('BrowserPageLifecycle', () => {
  function setUp() {
    const lifecycle = TestBed.inject(BrowserPageLifecycle);
    const document = TestBed.inject(DOCUMENT);
    const seen: PageLifecycleEvent[] = [];
    const subscription = lifecycle.events$.subscribe((event) => seen.push(event));
    return { lifecycle, document, window: document.defaultView as Window, seen, subscription };
  }

  function setVisibility(document: Document, state: DocumentVisibilityState): void {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  }

  afterEach(() => setVisibility(TestBed.inject(DOCUMENT), 'visible'));

  it('names the window and document events after which the registration may be stale', () => {
    const { document, window, seen, subscription } = setUp();
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    setVisibility(document, 'hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    document.dispatchEvent(new Event('freeze'));
    document.dispatchEvent(new Event('resume'));
    setVisibility(document, 'visible');
    document.dispatchEvent(new Event('visibilitychange'));
    subscription.unsubscribe();
    expect(seen).toEqual(['offline', 'online', 'hidden', 'freeze', 'resume', 'visible']);
  });

  it('reports a pageshow only when the page came back from the back/forward cache', () => {
    const { window, seen, subscription } = setUp();
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }));
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    subscription.unsubscribe();
    expect(seen).toEqual(['pageshow-persisted']);
  });

  it('stops listening when unsubscribed', () => {
    const { window, seen, subscription } = setUp();
    subscription.unsubscribe();
    window.dispatchEvent(new Event('online'));
    expect(seen).toEqual([]);
  });

  it('an unload attempt can ask the browser to confirm leaving', () => {
    const { lifecycle, window } = setUp();
    const subscription = lifecycle.unloadAttempts$.subscribe((attempt) => attempt.confirmLeaving());
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    subscription.unsubscribe();
    expect(event.defaultPrevented).toBe(true);
  });
});
