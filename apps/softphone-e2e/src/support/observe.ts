import type { BrowserContext, Page } from '@playwright/test';

/** One change of a watched element, as the page rendered it. */
export interface Seen {
  readonly testId: string;
  /** The watched attribute's value, or null when the element appeared without it / disappeared. */
  readonly value: string | null;
  /** The element's text when it changed (e.g. "Offline · Retrying in 2 s"); '' when it disappeared. */
  readonly text: string;
  readonly present: boolean;
}

type Watched = Readonly<Record<string, string>>;

/**
 * Records every change of the given elements (testid → attribute) from the first page script on, with a
 * MutationObserver, so states that last only a few frames are not missed by polling.
 * Install before the page loads (it is an init script); read with seenChanges().
 */
export async function recordChanges(context: BrowserContext, watched: Watched): Promise<void> {
  await context.addInitScript((targets: Watched) => {
    const log: Seen[] = [];
    (window as unknown as { __sbSeen: Seen[] }).__sbSeen = log;
    const last = new Map<string, string>();
    const check = () => {
      for (const [testId, attribute] of Object.entries(targets)) {
        const element = document.querySelector(`[data-testid="${testId}"]`);
        const entry: Seen = element
          ? { testId, value: element.getAttribute(attribute), text: (element.textContent ?? '').replace(/\s+/g, ' ').trim(), present: true }
          : { testId, value: null, text: '', present: false };
        const key = JSON.stringify(entry);
        if (last.get(testId) !== key && (entry.present || last.has(testId))) {
          last.set(testId, key);
          log.push(entry);
        }
      }
    };
    const start = () => new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
    if (document.documentElement) start();
    else document.addEventListener('DOMContentLoaded', start);
  }, watched);
}

export async function seenChanges(page: Page, testId?: string): Promise<Seen[]> {
  const all = await page.evaluate(() => (window as unknown as { __sbSeen?: Seen[] }).__sbSeen ?? []);
  return testId ? all.filter((entry) => entry.testId === testId) : all;
}

/** Marks the current document, so a test can prove later that the page was not reloaded. */
export async function markDocument(page: Page): Promise<string> {
  const mark = `doc-${Date.now()}-${Math.random()}`;
  await page.evaluate((value) => ((window as unknown as { __sbDocumentMark: string }).__sbDocumentMark = value), mark);
  return mark;
}

export async function documentMark(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { __sbDocumentMark?: string }).__sbDocumentMark);
}

export interface SandboxLeg {
  readonly callSid: string;
  readonly parentCallSid?: string;
  readonly from: string;
  readonly to: string;
  readonly direction: string;
  readonly status: string;
  readonly startedAt: number;
  readonly events: readonly { status?: string }[];
}

export interface SandboxCalls {
  readonly registrations: Record<string, number>;
  readonly legs: readonly SandboxLeg[];
}
