import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';

/** A small phone and a laptop: the layouts the softphone is used at. */
const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
] as const;

/**
 * Pairs of visible text inside `root` whose boxes overlap (by more than 2 px each way), e.g. a form
 * field's hint running into the paragraph under it. Each text node is measured line by line with a Range,
 * cut to what scrolling ancestors show; text inside one element (or its ancestors) is never compared with itself.
 */
function overlappingText(page: Page, root: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const container = document.querySelector(selector);
    if (!container) throw new Error(`No ${selector} on the page`);
    const boxes: { element: Element; text: string; rect: DOMRect }[] = [];
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (!text || !element || element.closest('mat-icon, [aria-hidden=true]')) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
      // Text scrolled out of a scrolling box (the diagnostics report) is not on screen: keep what its
      // clipping ancestors let through.
      const clips: DOMRect[] = [];
      for (let ancestor: Element | null = element; ancestor && ancestor !== document.body; ancestor = ancestor.parentElement) {
        const { overflowX, overflowY } = getComputedStyle(ancestor);
        if (overflowX !== 'visible' || overflowY !== 'visible') clips.push(ancestor.getBoundingClientRect());
      }
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const line of Array.from(range.getClientRects())) {
        const rect = clips.reduce((visible, clip) => {
          const left = Math.max(visible.left, clip.left);
          const top = Math.max(visible.top, clip.top);
          return new DOMRect(left, top, Math.min(visible.right, clip.right) - left, Math.min(visible.bottom, clip.bottom) - top);
        }, line);
        if (rect.width > 0 && rect.height > 0) boxes.push({ element, text, rect });
      }
    }
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
        const width = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
        const height = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
        if (width > 2 && height > 2) overlaps.push(`"${a.text}" overlaps "${b.text}"`);
      }
    }
    return overlaps;
  }, root);
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('element is not visible');
  return found;
}

for (const viewport of VIEWPORTS) {
  test.describe(`layout at ${viewport.width} px`, () => {
    test.use({ viewport });

    test('Settings: no text overlaps other text', async ({ signedInAgent }) => {
      const alice = await signedInAgent('alice');
      await alice.page.getByTestId('nav-settings').click();
      await alice.page.waitForURL(/\/settings$/);
      await alice.page.getByTestId('edge-select').waitFor();
      await alice.page.getByTestId('edge-info').waitFor();
      expect(await overlappingText(alice.page, 'main')).toEqual([]);
    });

    test('Phone: one status chip, no overlapping text, and agent suggestions never cover the Call button', async ({ signedInAgent }) => {
      const alice = await signedInAgent('alice');
      const { page } = alice;
      expect(await page.getByTestId('status-chip').count()).toBe(1);
      expect(await overlappingText(page, 'main')).toEqual([]);

      await page.getByTestId('dial-input').fill('Bo');
      const suggestions = page.getByRole('listbox');
      await page.getByTestId('agent-option-bob').waitFor();
      const list = await box(suggestions);
      const call = await box(page.getByTestId('call-button'));
      const apart =
        list.x + list.width <= call.x || call.x + call.width <= list.x || list.y + list.height <= call.y || call.y + call.height <= list.y;
      expect(apart, 'the suggestion list and the Call button do not overlap').toBe(true);
      // And nothing else sits on top of the button: a click at its centre reaches it.
      const reachable = await page.evaluate(({ x, y }) => !!document.elementFromPoint(x, y)?.closest('[data-testid=call-button]'), {
        x: call.x + call.width / 2,
        y: call.y + call.height / 2,
      });
      expect(reachable, 'the Call button can be clicked while suggestions are open').toBe(true);
    });

    test("Phone: typing an agent's name and pressing Enter calls them, without reloading the page", async ({ signedInAgent }) => {
      const alice = await signedInAgent('alice');
      const { page } = alice;
      const url = page.url();
      await page.getByTestId('dial-input').fill('Bob Agent');
      await page.getByTestId('dial-input').press('Enter');
      await page.getByTestId('in-call-view').waitFor();
      expect(await page.getByTestId('call-remote').innerText()).toBe('Bob Agent');
      expect(await page.getByTestId('call-remote-detail').innerText()).toBe('bob');
      expect(page.url()).toBe(url);
      await page.getByTestId('hang-up-button').click();
      await page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    });
  });
}
