import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';

/** The WCAG 2.1 A and AA rules of axe-core (colour contrast among them), as the issue asks for AA. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One rule broken on one page state, in plain data so that a failing expect prints what to fix. */
export interface AccessibilityViolation {
  readonly state: string;
  readonly rule: string;
  readonly impact: string | null;
  readonly help: string;
  /** CSS selectors of the offending elements, with axe's summary of each failure (contrast ratios included). */
  readonly nodes: ReadonlyArray<{ readonly target: string; readonly failure: string }>;
}

/** The README's screenshot folder, and the window size every screenshot is taken at. */
export const SCREENSHOT_DIR = resolve(__dirname, '../../../../docs/screenshots');
export const SCREENSHOT_VIEWPORT = { width: 1280, height: 800 } as const;

/**
 * Both themes of what the page shows now (the app follows the system colour scheme by default): a screenshot of
 * each into the README's folder as `<state>-<scheme>.png`, and axe-core's WCAG 2.1 AA audit of each.
 */
export async function screenshotAndAudit(page: Page, state: string): Promise<AccessibilityViolation[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const found: AccessibilityViolation[] = [];
  // No hover or focus tooltips left over from the last click.
  await page.mouse.move(SCREENSHOT_VIEWPORT.width - 1, SCREENSHOT_VIEWPORT.height - 1);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.locator('.mat-mdc-tooltip').waitFor({ state: 'detached' });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${state}-${scheme}.png`), animations: 'disabled', caret: 'hide' });
    found.push(...(await auditAccessibility(page, `${state} (${scheme})`)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

let axeSource: string | undefined;

/**
 * Runs axe-core's WCAG 2.1 AA rules over what the page shows now. axe is evaluated through the
 * DevTools protocol rather than a <script> tag, so the app's Content-Security-Policy stays as it is.
 */
export async function auditAccessibility(page: Page, state: string): Promise<AccessibilityViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: AxeGlobal }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), failure: n.failureSummary ?? '' })),
    }));
  }, WCAG_AA_TAGS);
  return violations.map((v) => ({ state, ...v }));
}

/** The part of axe-core's browser API used above (its own typings describe the Node entry point). */
interface AxeGlobal {
  run(context: Document, options: { runOnly: { type: 'tag'; values: string[] }; resultTypes: string[] }): Promise<{
    violations: Array<{
      id: string;
      impact?: string | null;
      help: string;
      nodes: Array<{ target: string[]; failureSummary?: string }>;
    }>;
  }>;
}
