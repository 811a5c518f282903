import { expect, test } from '../support/fixtures';
import { waitForChip } from '../support/softphone';

/**
 * Two failures per identity in a 15 s window: the third attempt gets the API's real 429 with Retry-After
 * (libs/api/feature-auth), and the wait is short enough to see the sign-in page open again by itself.
 */
const MAX_FAILURES = 2;
const WINDOW_SECONDS = 15;

// Settings the shared stack does not have: this spec gets a worker, and a stack, of its own.
test.use({ stackOptions: { apiEnv: { SIGN_IN_MAX_FAILURES_PER_IDENTITY: String(MAX_FAILURES), SIGN_IN_WINDOW_SECONDS: String(WINDOW_SECONDS) } } });

test.describe('too many sign-in attempts', () => {
  test('says how long to wait, keeps Sign in disabled and announces it, then lets the agent sign in', async ({ stack, newAgent }) => {
    const alice = await newAgent();
    const { page } = alice;
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/auth/login') statuses.push(response.status());
    });
    await page.goto(`${stack.apiUrl}/sign-in`);
    await page.getByTestId('sign-in-identity').fill('alice');
    const submit = page.getByTestId('sign-in-submit');
    for (let attempt = 1; attempt <= MAX_FAILURES; attempt++) {
      await page.getByTestId('sign-in-password').fill(`wrong-${attempt}`);
      await submit.click();
      await expect.poll(() => statuses.length).toBe(attempt);
      await expect(page.getByTestId('sign-in-error')).toBeVisible();
    }

    // The right password, but the identity has its failures: the API answers 429.
    await page.getByTestId('sign-in-password').fill('switchboard-demo');
    await submit.click();
    const throttled = page.getByTestId('sign-in-throttled');
    await expect(throttled).toHaveText(/Too many sign-in attempts\. Try again in \d+ seconds?\./);
    expect(statuses).toEqual([401, 401, 429]);
    const retryIn = Number(await throttled.getAttribute('data-retry-in'));
    expect(retryIn).toBeGreaterThanOrEqual(1);
    expect(retryIn).toBeLessThanOrEqual(WINDOW_SECONDS);
    await expect(submit).toBeDisabled();
    await expect(page.getByTestId('sign-in-error')).toHaveCount(0);
    // Spoken once through the CDK live announcer (the app's live region), not by the ticking text.
    await expect(page.locator('.cdk-live-announcer-element')).toContainText(/Too many sign-in attempts\. Try again in \d+ seconds?\./);
    await expect(throttled).not.toHaveAttribute('aria-live');

    // When the wait is over the page opens again by itself, says so, and the same password now works.
    await expect(submit).toBeEnabled({ timeout: (WINDOW_SECONDS + 5) * 1000 });
    await expect(throttled).toHaveCount(0);
    await expect(page.locator('.cdk-live-announcer-element')).toContainText('You can try signing in again now.');
    await submit.click();
    await waitForChip(page, 'registered');
    expect(statuses).toEqual([401, 401, 429, 200]);
  });
});
