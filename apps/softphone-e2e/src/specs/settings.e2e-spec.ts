import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { signIn, waitForChip } from '../support/softphone';

/** Where the softphone keeps the agent's device choices (data-access-voice device-preferences-storage). */
const PREFERENCES_KEY = 'switchboard.audio-devices.v1';

test.describe('settings: microphones', () => {
  async function openSettings(page: Page): Promise<void> {
    await page.getByTestId('nav-settings').click();
    await page.waitForURL(/\/settings$/);
    await page.getByTestId('microphone-select').waitFor();
  }

  const selectedMicrophone = (page: Page) => page.getByTestId('microphone-select').locator('.mat-mdc-select-value-text').innerText();

  test("lists Chromium's fake microphones; a non-default choice survives a reload", async ({ stack, newAgent }) => {
    const alice = await newAgent();
    await signIn(alice.page, stack.apiUrl, 'alice');
    await waitForChip(alice.page, 'registered');
    await openSettings(alice.page);

    await alice.page.getByTestId('microphone-select').click();
    const options = alice.page.getByRole('option');
    await options.first().waitFor();
    const labels = (await options.allInnerTexts()).map((label) => label.trim());
    // Chromium's fake capture devices, by the names the browser gives them.
    expect(labels.filter((label) => /fake/i.test(label)).length).toBeGreaterThanOrEqual(2);
    const before = await selectedMicrophone(alice.page).catch(() => '');
    const choice = labels.find((label) => /fake audio input 2/i.test(label)) ?? labels.filter((label) => !/default/i.test(label)).at(-1);
    expect(choice).toBeDefined();
    expect(choice).not.toBe(before.trim());
    await options.filter({ hasText: choice as string }).first().click();
    await alice.page.getByRole('option').first().waitFor({ state: 'detached' });
    expect((await selectedMicrophone(alice.page)).trim()).toBe(choice);

    // Persisted in the browser, under the label the agent saw.
    const stored = await alice.page.evaluate((key) => localStorage.getItem(key), PREFERENCES_KEY);
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ input: { label: choice } });

    await alice.page.reload();
    await waitForChip(alice.page, 'registered');
    await alice.page.getByTestId('microphone-select').waitFor();
    await alice.page.waitForFunction(
      (expected) => document.querySelector('[data-testid=microphone-select] .mat-mdc-select-value-text')?.textContent?.trim() === expected,
      choice,
    );
    expect((await selectedMicrophone(alice.page)).trim()).toBe(choice);
  });
});
