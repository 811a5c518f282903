import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { dial, signIn, waitForCallPhase, waitForChip } from '../support/softphone';

/** A notification the page built, as the wrapper below recorded it. */
interface RecordedNotification {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
  readonly closed: boolean;
}

/**
 * Before any page script: window.Notification is wrapped (the real one still shows and closes each
 * notification) so the test can read what was shown and whether it was closed; and the tab can be hidden.
 *
 * Hiding: headless Chromium 156 reports every page 'visible' whatever is done to it (verified: a second
 * page brought to front, CDP Target.activateTarget, Browser.setWindowBounds minimized, a new window,
 * Emulation.setFocusEmulationEnabled off, Page.setWebLifecycleState frozen → active), so the document's
 * visibilityState is overridden and the browser's own `visibilitychange` event dispatched.
 */
async function recordNotificationsAndVisibility(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const RealNotification = window.Notification;
    const shown: { title: string; body: string; tag: string; closed: boolean }[] = [];
    class RecordedNotification extends RealNotification {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        const entry = { title, body: options?.body ?? '', tag: options?.tag ?? '', closed: false };
        shown.push(entry);
        const close = this.close.bind(this);
        this.close = () => {
          entry.closed = true;
          close();
        };
      }
    }
    // Where the SDK plays each sound: it routes its ringtone by setSinkId on its audio elements.
    const sinkIds: string[] = [];
    const realSetSinkId = HTMLAudioElement.prototype.setSinkId;
    HTMLAudioElement.prototype.setSinkId = function (this: HTMLAudioElement, sinkId: string) {
      sinkIds.push(sinkId);
      return realSetSinkId.call(this, sinkId);
    };
    let hidden = false;
    Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
    Object.assign(window, {
      Notification: RecordedNotification,
      sbNotifications: shown,
      sbSinkIds: sinkIds,
      sbSetHidden: (value: boolean) => {
        hidden = value;
        document.dispatchEvent(new Event('visibilitychange'));
      },
    });
  });
}

const notifications = (page: Page) => page.evaluate(() => (window as unknown as { sbNotifications: RecordedNotification[] }).sbNotifications.map((n) => ({ ...n })));
const setHidden = (page: Page, hidden: boolean) => page.evaluate((value) => (window as unknown as { sbSetHidden(v: boolean): void }).sbSetHidden(value), hidden);
const sinkIds = (page: Page) => page.evaluate(() => [...(window as unknown as { sbSinkIds: string[] }).sbSinkIds]);
const outputIdOf = (page: Page, label: string) =>
  page.evaluate(async (wanted) => (await navigator.mediaDevices.enumerateDevices()).find((d) => d.kind === 'audiooutput' && d.label === wanted)?.deviceId, label);
const title = (page: Page) => page.evaluate(() => document.title);

async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.waitForURL(/\/settings$/);
  await page.getByTestId('desktop-notifications').waitFor();
}

test.describe('ringing alerts: a call ringing in a hidden tab', () => {
  test('shows a desktop notification with the caller (closed once answered) and flashes the tab title; the ringtone device goes to the SDK', async ({ stack, newAgent, browser, watchedContexts }) => {
    // Alice's profile is created without a permissions list: Playwright's grant (the fixture grants the
    // microphone) rejects every permission not listed, so notifications would read 'denied' before any
    // ask. The suite's fake media UI still accepts her microphone.
    const aliceContext = await browser.newContext({ ignoreHTTPSErrors: true });
    watchedContexts.add(aliceContext, { own: true });
    const alice = { context: aliceContext, page: await aliceContext.newPage() };
    const bob = await newAgent();
    await recordNotificationsAndVisibility(bob.context);
    // What an agent's "Allow" gives; the product itself never asks on load (checked below: no prompt needed).
    await bob.context.grantPermissions(['notifications'], { origin: stack.apiUrl });

    await signIn(alice.page, stack.apiUrl, 'alice');
    await signIn(bob.page, stack.apiUrl, 'bob');
    await waitForChip(alice.page, 'registered');
    await waitForChip(bob.page, 'registered');

    // Alice's browser was not asked on load or sign-in; Settings explains, asks on the button, and shows
    // the answer (headless Chromium denies a prompt nobody answers) with how to allow it.
    expect(await alice.page.evaluate(() => Notification.permission)).toBe('default');
    await openSettings(alice.page);
    const aliceStatus = alice.page.getByTestId('desktop-notifications-status');
    await expect(aliceStatus).toHaveAttribute('data-permission', 'not-asked');
    await expect(alice.page.getByTestId('desktop-notifications')).toContainText('another tab');
    await alice.page.getByTestId('desktop-notifications-enable').click();
    await expect(aliceStatus).toHaveAttribute('data-permission', 'denied');
    await expect(aliceStatus).toContainText('address bar');
    await alice.page.getByTestId('nav-phone').click();
    await alice.page.getByTestId('dial-input').waitFor();

    // Settings shows the browser's answer: granted, so no button to ask.
    await openSettings(bob.page);
    await expect(bob.page.getByTestId('desktop-notifications-status')).toHaveAttribute('data-permission', 'granted');
    expect(await bob.page.getByTestId('desktop-notifications-enable').count()).toBe(0);

    // Ringtone on the second fake output; the SDK's ringtoneDevices is told (and the choice saved).
    await bob.page.getByTestId('ringtone-select').click();
    const options = bob.page.getByRole('option');
    await options.first().waitFor();
    const labels = (await options.allInnerTexts()).map((label) => label.trim());
    const choice = labels.find((label) => /fake audio output 2/i.test(label)) ?? labels.at(-1);
    expect(choice).toBeDefined();
    await options.filter({ hasText: choice as string }).first().click();
    await bob.page.waitForFunction(
      (expected) => document.querySelector('[data-testid=ringtone-select] .mat-mdc-select-value-text')?.textContent?.trim() === expected,
      choice,
    );
    const saved = await bob.page.evaluate(() => JSON.parse(localStorage.getItem('switchboard.audio-devices.v1') ?? '{}') as { ringtone?: { label: string } });
    expect(saved.ringtone?.label).toBe(choice);

    const ringtoneId = await outputIdOf(bob.page, choice as string);
    expect(ringtoneId).toBeTruthy();
    expect(await sinkIds(bob.page)).not.toContain(ringtoneId);
    await bob.page.getByTestId('nav-phone').click();
    await bob.page.getByTestId('status-chip').first().waitFor();
    const normalTitle = await title(bob.page);
    expect(normalTitle).not.toMatch(/Incoming call/);

    // Bob's tab goes out of sight; alice calls.
    await setHidden(bob.page, true);
    await dial(alice.page, 'bob');
    await bob.page.getByTestId('incoming-card').waitFor();
    await expect.poll(() => notifications(bob.page)).toEqual([expect.objectContaining({ closed: false })]);
    const [shown] = await notifications(bob.page);
    expect(shown.body).toContain('alice');
    expect(shown.title).toContain('alice');
    expect(shown.tag).toMatch(/^switchboard-incoming-/);

    // The title flashes: the call's text, then the page's own title, while it rings.
    await bob.page.waitForFunction(() => document.title === 'Incoming call — alice');
    await bob.page.waitForFunction((normal) => document.title === normal, normalTitle);
    await bob.page.waitForFunction(() => document.title === 'Incoming call — alice');

    // The SDK rings on the chosen device: its incoming sound was routed there (nothing else was).
    await expect.poll(() => sinkIds(bob.page)).toContain(ringtoneId);

    // Back to the tab: the title is restored at once; bob answers, and the notification closes.
    await setHidden(bob.page, false);
    expect(await title(bob.page)).toBe(normalTitle);
    await bob.page.getByTestId('accept-button').click();
    await waitForCallPhase(bob.page, 'open');
    await expect.poll(() => notifications(bob.page)).toEqual([expect.objectContaining({ tag: shown.tag, closed: true })]);
    expect(await title(bob.page)).toBe(normalTitle);

    await bob.page.getByTestId('hang-up-button').click();
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });

    // After a reload the saved ringtone device is applied again: the select shows it only once the SDK took it.
    await bob.page.reload();
    await waitForChip(bob.page, 'registered');
    await openSettings(bob.page);
    await bob.page.waitForFunction(
      (expected) => document.querySelector('[data-testid=ringtone-select] .mat-mdc-select-value-text')?.textContent?.trim() === expected,
      choice,
    );
  });
});
