import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { dial, signIn, waitForCallPhase, waitForChip } from '../support/softphone';
import { clickClear } from '../support/call-checks';

/** Every CSP violation the page reports, from the DOM event and from the console, in order. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|connect|execute|apply|frame)/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('__reportCspViolation', (text: string) => { violations.push(text); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportCspViolation(text: string): void })
        .__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return violations;
}

test.describe('security headers', () => {
  test('the softphone signs in, styles itself and places a call under its Content-Security-Policy without one violation', async ({ stack, newAgent }) => {
    const alice = await newAgent();
    const bob = await newAgent();
    const aliceViolations = await watchCsp(alice.page);
    const bobViolations = await watchCsp(bob.page);

    const response = await alice.page.goto(`${stack.apiUrl}/sign-in`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`wss://${stack.sandboxHost}`);
    expect(response?.headers()['permissions-policy']).toMatch(/^microphone=\(self\)/);
    // The stylesheet was switched on by its onload handler (allowed by hash), so Material's theme applies.
    await expect.poll(() => alice.page.evaluate(() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).every((l) => (l as HTMLLinkElement).media !== 'print'))).toBe(true);

    await signIn(alice.page, stack.apiUrl, 'alice');
    await signIn(bob.page, stack.apiUrl, 'bob');
    await waitForChip(alice.page, 'registered');
    await waitForChip(bob.page, 'registered');
    await dial(alice.page, 'bob');
    await bob.page.getByTestId('incoming-card').waitFor();
    await bob.page.getByTestId('accept-button').click();
    await waitForCallPhase(alice.page, 'open');
    await waitForCallPhase(bob.page, 'open');
    await clickClear(alice.page, 'hang-up-button');
    await alice.page.locator('[data-testid=call-outcome][data-outcome=completed]').waitFor();
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });

    expect(aliceViolations).toEqual([]);
    expect(bobViolations).toEqual([]);
  });

  test('a page on another origin cannot frame the softphone', async ({ stack, newAgent }) => {
    const agent = await newAgent();
    const violations = await watchCsp(agent.page);
    // about:blank's document is not the API's origin; the frame must stay empty.
    await agent.page.setContent(`<iframe id="phone" src="${stack.apiUrl}/sign-in"></iframe>`);
    await expect.poll(() => violations.some((v) => /frame-ancestors/.test(v))).toBe(true);
    const frame = agent.page.frames().find((f) => f.url().startsWith(stack.apiUrl));
    expect(await frame?.locator('[data-testid=sign-in-submit]').count() ?? 0).toBe(0);
  });
});
