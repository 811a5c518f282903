import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import type { TabVisibility } from '@switchboard/softphone-data-access-voice';
import { BrowserDocumentTitle } from './browser-document-title';

describe('BrowserDocumentTitle', () => {
  function setVisibility(document: Document, state: DocumentVisibilityState): void {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  }

  afterEach(() => setVisibility(TestBed.inject(DOCUMENT), 'visible'));

  it('reports the visibility now, then each visibilitychange', () => {
    const document = TestBed.inject(DOCUMENT);
    setVisibility(document, 'hidden');
    const seen: TabVisibility[] = [];
    const subscription = TestBed.inject(BrowserDocumentTitle).visibility$.subscribe((v) => seen.push(v));
    setVisibility(document, 'visible');
    setVisibility(document, 'hidden');
    subscription.unsubscribe();
    setVisibility(document, 'visible');
    expect(seen).toEqual(['hidden', 'visible', 'hidden']);
  });

  it("reads and writes the document's title", () => {
    const document = TestBed.inject(DOCUMENT);
    const title = TestBed.inject(BrowserDocumentTitle);
    document.title = 'Switchboard';
    expect(title.read()).toBe('Switchboard');
    title.write('Incoming call — bob');
    expect(document.title).toBe('Incoming call — bob');
  });
});
