import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { chipState, dial, eventually, signIn, waitForChip } from '../support/softphone';
import { registrationCount } from '../support/call-checks';

/** A second tab of the same browser profile (same cookies, same Web Locks); the fixtures watch it like the first. */
async function secondTab(context: BrowserContext, apiUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(apiUrl);
  await page.getByTestId('status-chip').first().waitFor();
  return page;
}

test.describe('one phone per browser: tabs of one agent elect the one that rings', () => {
  test('a second tab waits in standby; calls ring in one tab; "Use this tab" moves the phone; closing the leader hands it back', async ({ stack, newAgent }) => {
    const bob = await newAgent();
    const alice = await newAgent();
    const registeredBefore = await registrationCount(stack.sandbox, 'alice');

    await signIn(bob.page, stack.apiUrl, 'bob');
    await signIn(alice.page, stack.apiUrl, 'alice');
    await waitForChip(bob.page, 'registered');
    await waitForChip(alice.page, 'registered');

    // The second tab is signed in (shared session) but leaves the phone to the first.
    const aliceTab2 = await secondTab(alice.context, stack.apiUrl);
    await waitForChip(aliceTab2, 'standby');
    expect(await aliceTab2.getByTestId('status-chip').first().innerText()).toMatch(/another tab/i);
    expect(await aliceTab2.getByTestId('call-button').isDisabled()).toBe(true);
    expect(await aliceTab2.getByTestId('dial-guidance').innerText()).toMatch(/Use this tab/);
    expect(await registrationCount(stack.sandbox, 'alice')).toBe(registeredBefore + 1);

    // Bob calls alice: it rings in the first tab only; bob gives up.
    await dial(bob.page, 'alice');
    await alice.page.getByTestId('incoming-card').waitFor();
    expect(await aliceTab2.getByTestId('incoming-card').count()).toBe(0);
    await bob.page.getByTestId('hang-up-button').click();
    await alice.page.getByTestId('incoming-card').waitFor({ state: 'detached' });

    // "Use this tab": the second tab goes online, the first steps back; still one registration.
    await aliceTab2.getByTestId('use-this-tab-button').click();
    await waitForChip(aliceTab2, 'registered');
    await waitForChip(alice.page, 'standby');
    expect(await alice.page.getByTestId('use-this-tab-button').isVisible()).toBe(true);
    await eventually(() => registrationCount(stack.sandbox, 'alice'), (n) => n === registeredBefore + 1, 10_000, 'one registration for alice');

    // A call now rings in the second tab only.
    await dial(bob.page, 'alice');
    await aliceTab2.getByTestId('incoming-card').waitFor();
    expect(await alice.page.getByTestId('incoming-card').count()).toBe(0);
    await bob.page.getByTestId('hang-up-button').click();
    await aliceTab2.getByTestId('incoming-card').waitFor({ state: 'detached' });

    // Closing the tab that has the phone hands it to the one left, without a click.
    await aliceTab2.close();
    await waitForChip(alice.page, 'registered');
    expect(await chipState(alice.page)).toBe('registered');
    await eventually(() => registrationCount(stack.sandbox, 'alice'), (n) => n === registeredBefore + 1, 10_000, 'one registration for alice');
  });

  test('a refused sign-in (wrong password) does not keep the phone: another tab that signs in then has it', async ({ stack, newAgent }) => {
    const alice = await newAgent();
    // The election is joined at the Sign in click, before the answer: a refusal must leave it again.
    await alice.page.goto(`${stack.apiUrl}/sign-in`);
    await alice.page.getByTestId('sign-in-identity').fill('alice');
    await alice.page.getByTestId('sign-in-password').fill('not-the-password');
    await alice.page.getByTestId('sign-in-submit').click();
    await expect(alice.page.getByTestId('sign-in-error')).toBeVisible();

    // The refused tab stays open: had it kept the lock, this tab would wait in standby behind it.
    const aliceTab2 = await alice.context.newPage();
    await signIn(aliceTab2, stack.apiUrl, 'alice');
    await waitForChip(aliceTab2, 'registered');
    expect(await chipState(aliceTab2)).toBe('registered');
  });
});
