import { API_ROUTES, UNREACHABLE_REASON_WORDS, type AvailabilityResponse, type FloorSnapshot } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import type { Page } from '@playwright/test';
import { apiJson } from '../support/agent-records';
import { answerCall, customerCallsSupport, customerLegCompleted, storedCall } from '../support/anchored-call';
import { clickClear, historyRowText, sandboxCalls } from '../support/call-checks';
import { expect, test } from '../support/fixtures';
import { eventually, trackPeerConnections } from '../support/softphone';
import { SCREENSHOT_VIEWPORT, screenshotAndAudit } from '../support/accessibility';

const CALLER = '+14155550166';

const status = (page: Page) => page.getByTestId('availability-status');

/** The availability the API holds for the page's agent. */
function ownAvailability(page: Page, apiUrl: string): Promise<AvailabilityResponse> {
  return apiJson<AvailabilityResponse>(page, apiUrl, API_ROUTES.availability);
}

test.describe('availability and reachability (issue 13)', () => {
  test('alice goes Away from the status menu and a sales call (alice and bob) rings only bob; his wrap-up disposition is kept in history; his frozen tab makes him unreachable', async ({ stack, signedInAgent }) => {
    test.slow(); // three browsers, a customer call with its conference callbacks, a freeze detected by the API
    // Signing in waits until each agent is Available and reachable (support/softphone.ts).
    const alice = await signedInAgent('alice');
    const bob = await signedInAgent('bob');
    await trackPeerConnections(bob.context);
    const sam = await signedInAgent('sam');

    // Alice: status menu → Away ▸ Break. Her header says so, with the time in state; the API agrees.
    await alice.page.getByTestId('status-menu-button').click();
    await alice.page.getByTestId('status-away').click();
    await alice.page.getByTestId('status-away-break').click();
    await expect(status(alice.page)).toHaveAttribute('data-state', 'away');
    await expect(alice.page.getByTestId('availability-label')).toHaveText('Away: Break');
    await expect(alice.page.getByTestId('availability-elapsed')).toHaveText(/^\d+:\d\d$/);
    expect((await ownAvailability(alice.page, stack.apiUrl)).availability).toMatchObject({ state: 'away', reason: 'break' });

    // A customer calls the sales line (alice and bob): bob's phone rings and he answers; alice's never rings.
    const callSid = await customerCallsSupport(stack, CALLER, SANDBOX_NUMBERS.sales);
    await answerCall(bob.page, CALLER);
    await expect(status(bob.page)).toHaveAttribute('data-state', 'on-call');
    await expect(alice.page.getByTestId('incoming-card')).toHaveCount(0);
    const rung = (await sandboxCalls(stack.sandbox)).legs.filter((leg) => leg.direction === 'outbound-api' && leg.from === CALLER).map((leg) => leg.to);
    expect(rung.length).toBeGreaterThan(0);
    expect(rung.every((to) => to === 'client:bob')).toBe(true);

    // Bob hangs up: wrap-up, with its card; he picks a disposition, adds a note, Done → Available.
    await clickClear(bob.page, 'hang-up-button');
    await customerLegCompleted(stack, callSid);
    await bob.page.getByTestId('wrap-up-card').waitFor();
    await expect(status(bob.page)).toHaveAttribute('data-state', 'wrap-up');
    await expect(bob.page.getByTestId('wrap-up-done')).toBeDisabled(); // a disposition is required
    await bob.page.getByTestId('wrap-up-disposition').click();
    await bob.page.getByTestId('wrap-up-disposition-resolved').click();
    await bob.page.getByTestId('wrap-up-note').fill('Refund sent');
    // The README's pictures of after-call work: the status in the header and the card, axe-clean in both themes.
    await bob.page.setViewportSize(SCREENSHOT_VIEWPORT);
    expect(await screenshotAndAudit(bob.page, 'wrap-up')).toEqual([]);
    await bob.page.getByTestId('wrap-up-done').click();
    await expect(status(bob.page)).toHaveAttribute('data-state', 'available');
    await expect(bob.page.getByTestId('wrap-up-card')).toHaveCount(0);

    // The disposition is stored with the call and shown in bob's history.
    const stored = await storedCall(bob.page, stack.apiUrl, callSid, (call) => (call?.dispositions.length ?? 0) > 0, 'the disposition stored with the call');
    expect(stored.dispositions).toMatchObject([{ identity: 'bob', code: 'resolved', label: 'Resolved', note: 'Refund sent' }]);
    // Why alice was not rung is kept with the call, beside bob's answer.
    expect(stored.ringOutcomes.map(({ identity, outcome }) => ({ identity, outcome }))).toEqual(
      expect.arrayContaining([{ identity: 'alice', outcome: 'away' }, { identity: 'bob', outcome: 'answered' }]),
    );
    expect(await historyRowText(bob.page, callSid)).toContain('Disposition: Resolved — “Refund sent”');

    // Alice back to Available, from the menu (and so the next spec on this stack finds her as it expects).
    await alice.page.getByTestId('status-menu-button').click();
    await alice.page.getByTestId('status-available').click();
    await expect(status(alice.page)).toHaveAttribute('data-state', 'available');

    // Chromium freezes bob's tab (as it does a hidden background tab): the API calls him unreachable and says
    // why, and sam's board (GET /api/floor, the supervisor's snapshot) shows it. Headless Chromium ignores
    // Page.setWebLifecycleState for a page it keeps visible (this run's first version saw bob stay reachable;
    // ringing-alerts.e2e-spec.ts found the same), so the freeze is played as Chromium plays it: the page's
    // `freeze` event, then no more JavaScript (the debugger holds it), then the lifecycle state itself.
    await sam.page.getByTestId('nav-floor').click();
    await expect(sam.page.getByTestId('floor-page')).toHaveAttribute('data-status', 'loaded');
    const bobOnSamsBoard = sam.page.locator('[data-testid=floor-agent-row][data-identity="bob"]');
    await expect(bobOnSamsBoard).toHaveAttribute('data-state', 'available');
    const cdp = await bob.context.newCDPSession(bob.page);
    await bob.page.evaluate(() => document.dispatchEvent(new Event('freeze')));
    await cdp.send('Debugger.enable');
    await cdp.send('Debugger.pause');
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    // The API's view (GET /api/floor, the supervisor's snapshot) and what sam reads on his board, live.
    const bobOnTheFloor = async () => {
      const answer = await sam.page.request.get(`${stack.apiUrl}${API_ROUTES.floor}`);
      expect(answer.status(), await answer.text()).toBe(200);
      return ((await answer.json()) as FloorSnapshot).agents.find((agent) => agent.identity === 'bob')?.reachability;
    };
    const unreachable = await eventually(bobOnTheFloor, (reachability) => reachability?.reachable === false, 30_000, "bob unreachable on sam's board");
    expect(unreachable?.reason).toBe('tab-frozen');
    await expect(bobOnSamsBoard.getByTestId('agent-reachability')).toContainText(UNREACHABLE_REASON_WORDS['tab-frozen']);

    // Thawed, bob's tab reports at once (resume) and is reachable again.
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    // Disabling the debugger lets the page run again (and drops a pause still waiting for the next statement).
    await cdp.send('Debugger.disable');
    await bob.page.evaluate(() => document.dispatchEvent(new Event('resume')));
    await expect(status(bob.page)).toHaveAttribute('data-reachable', 'true', { timeout: 30_000 });
    await expect(bobOnSamsBoard.getByTestId('agent-reachability')).not.toContainText(UNREACHABLE_REASON_WORDS['tab-frozen']);
  });
});
