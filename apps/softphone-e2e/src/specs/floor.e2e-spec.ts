import { API_ROUTES, type AvailabilityResponse } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import type { Locator, Page } from '@playwright/test';
import { SCREENSHOT_VIEWPORT as VIEWPORT, screenshotAndAudit } from '../support/accessibility';
import { expect, test, type RunningStack } from '../support/fixtures';
import { eventually, signIn, trackPeerConnections, waitForCallPhase, waitForChip } from '../support/softphone';
import { waitForAudio } from '../support/call-checks';
import { agentLegSid, conferenceParticipants, waitForLegAudio } from '../support/conference';

const CALLER = '+14155550177';

/** The supervisor's leg in the customer's conference (labelled monitor:<identity> by the outgoing webhook). */
async function monitorLegSid(stack: RunningStack, customerCallSid: string, identity: string): Promise<string> {
  const found = await eventually(
    async () => (await conferenceParticipants(stack, customerCallSid)).find((p) => p.label === `monitor:${identity}`),
    (participant) => participant !== undefined,
    20_000,
    `${identity}'s monitor leg in the conference of ${customerCallSid}`,
  );
  return found?.call_sid as string;
}

const row = (page: Page, identity: string): Locator => page.locator(`[data-testid=floor-agent-row][data-identity="${identity}"]`);

async function chooseOwnState(page: Page, apiUrl: string, body: { state: 'available' | 'away'; reason?: string }): Promise<void> {
  const answer = await page.request.put(`${apiUrl}${API_ROUTES.availability}`, { data: body });
  expect(answer.status(), await answer.text()).toBe(200);
}

test.describe("the supervisor's team floor", () => {
  test('sam sees alice go away and sets her available; listens to, whispers to and barges into bob’s customer call', async ({ stack, newAgent, signedInAgent }) => {
    test.slow(); // three browsers, a conference with a monitor, two axe audits
    const alice = await signedInAgent('alice');
    const bob = await signedInAgent('bob');
    // Sam's peer connections are recorded from his first page on (getStats of what his browser receives).
    const sam = await newAgent();
    await trackPeerConnections(sam.context);
    await signIn(sam.page, stack.apiUrl, 'sam');
    await waitForChip(sam.page, 'registered');
    await sam.page.setViewportSize(VIEWPORT);
    await sam.page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await chooseOwnState(bob.page, stack.apiUrl, { state: 'available' });
    await chooseOwnState(alice.page, stack.apiUrl, { state: 'available' });

    // Agents see no Floor tab; the supervisor opens the board from it.
    await expect(alice.page.getByTestId('nav-floor')).toHaveCount(0);
    await sam.page.getByTestId('nav-floor').click();
    await expect(sam.page.getByTestId('floor-page')).toHaveAttribute('data-status', 'loaded');
    await expect(row(sam.page, 'alice')).toHaveAttribute('data-state', 'available');
    await expect(row(sam.page, 'bob').getByTestId('agent-reachability')).toBeVisible();

    // Alice goes on a break: the board shows it live, with the reason and its clock.
    const options = (await (await alice.page.request.get(`${stack.apiUrl}${API_ROUTES.availability}`)).json()) as AvailabilityResponse;
    const reason = options.awayReasons[0];
    await chooseOwnState(alice.page, stack.apiUrl, { state: 'away', reason: reason.id });
    await expect(row(sam.page, 'alice')).toHaveAttribute('data-state', 'away');
    await expect(row(sam.page, 'alice').getByTestId('agent-state')).toContainText(`Away · ${reason.label}`);

    // Sam ends the break from the board; the API tells alice.
    await row(sam.page, 'alice').getByTestId('set-state-button').click();
    await sam.page.getByTestId('state-option-available').click();
    await expect(row(sam.page, 'alice')).toHaveAttribute('data-state', 'available');
    await eventually(
      async () => ((await (await alice.page.request.get(`${stack.apiUrl}${API_ROUTES.availability}`)).json()) as AvailabilityResponse).availability.state,
      (state) => state === 'available',
      10_000,
      "alice's own state available",
    );

    // A customer calls the support line and keeps talking (a tone); bob answers.
    const placed = await stack.sandbox<{ callSid: string }>('POST', '/sandbox/inbound', {
      from: CALLER,
      to: SANDBOX_NUMBERS.support,
      script: [{ tone: { hz: 440, seconds: 170 } }, { hangup: true }],
    });
    expect(placed.status).toBe(201);
    const customerCallSid = placed.body.callSid;
    await bob.page.getByTestId('incoming-card').waitFor();
    await bob.page.getByTestId('accept-button').click();
    await waitForCallPhase(bob.page, 'open');
    const bobLeg = await agentLegSid(stack, customerCallSid, 'bob');

    // The board shows bob's call (the customer, a ticking duration) with Listen.
    await expect(row(sam.page, 'bob').getByTestId('agent-call')).toContainText(CALLER);
    await expect(row(sam.page, 'bob').getByTestId('agent-call-duration')).toBeVisible();

    // Listen: sam's monitor call joins the conference muted. The customer hears only bob; sam hears the call.
    await row(sam.page, 'bob').getByTestId('listen-button').click();
    const bar = sam.page.getByTestId('monitor-bar');
    await expect(bar).toHaveAttribute('data-phase', 'open', { timeout: 30_000 });
    await expect(bar.getByTestId('monitor-heading')).toHaveText('Listening to Bob Agent’s call');
    await expect(bar.getByTestId('monitor-mode-listen')).toHaveAttribute('aria-pressed', 'true');
    const samLeg = await monitorLegSid(stack, customerCallSid, 'sam');
    // The meter's window may still hold the wait music from before bob joined: wait until it has gone too.
    const listening = await waitForLegAudio(stack, customerCallSid, { hears: [bobLeg], notHears: [samLeg, 'wait'] }, 'the customer hears bob, not sam');
    expect(Object.keys(listening.sources)).toEqual([bobLeg]);
    await waitForLegAudio(stack, bobLeg, { hears: [customerCallSid], notHears: [samLeg] }, 'bob does not hear the listening sam');
    await waitForLegAudio(stack, samLeg, { hears: [customerCallSid, bobLeg] }, 'sam hears the customer and bob');
    await waitForAudio(sam.page, 'sound');

    // The panel shows the monitor call as such.
    await sam.page.getByTestId('nav-phone').click();
    await expect(sam.page.getByTestId('call-remote')).toHaveText('Listening to Bob Agent’s call');
    await sam.page.getByTestId('nav-floor').click();
    await expect(sam.page.getByTestId('floor-page')).toHaveAttribute('data-status', 'loaded');

    // Whisper: bob hears sam (the meter on his leg); the customer still does not.
    await bar.getByTestId('monitor-mode-whisper').click();
    await expect(bar.getByTestId('monitor-mode-whisper')).toHaveAttribute('aria-pressed', 'true');
    await expect(bar.getByTestId('monitor-mode-listen')).toHaveAttribute('aria-pressed', 'false');
    await waitForLegAudio(stack, bobLeg, { hears: [customerCallSid, samLeg] }, 'bob hears the whispering sam');
    const whispering = await waitForLegAudio(stack, customerCallSid, { hears: [bobLeg], notHears: [samLeg] }, 'the customer still does not hear sam');
    expect(Object.keys(whispering.sources)).toEqual([bobLeg]);

    // Barge: everyone hears everyone.
    await bar.getByTestId('monitor-mode-barge').click();
    await expect(bar.getByTestId('monitor-mode-barge')).toHaveAttribute('aria-pressed', 'true');
    await waitForLegAudio(stack, customerCallSid, { hears: [bobLeg, samLeg] }, 'the customer hears bob and sam');
    await waitForLegAudio(stack, bobLeg, { hears: [customerCallSid, samLeg] }, 'bob hears the customer and sam');
    await waitForLegAudio(stack, samLeg, { hears: [customerCallSid, bobLeg] }, 'sam hears the customer and bob');

    // The board while barging: the README's pictures, axe-clean in light and dark.
    expect(await screenshotAndAudit(sam.page, 'floor')).toEqual([]);

    // Leave: sam's leg goes; bob and the customer talk on.
    await bar.getByTestId('monitor-leave').click();
    await expect(bar).toHaveCount(0);
    await eventually(
      () => conferenceParticipants(stack, customerCallSid),
      (participants) => !participants.some((p) => p.label === 'monitor:sam'),
      20_000,
      "sam's monitor leg gone",
    );
    await waitForLegAudio(stack, customerCallSid, { hears: [bobLeg], notHears: [samLeg] }, 'the customer hears bob after sam left');
    await expect(bob.page.getByTestId('in-call-view')).toHaveAttribute('data-phase', 'open');

    await bob.page.getByTestId('hang-up-button').click();
    await expect(row(sam.page, 'bob').getByTestId('agent-call')).toContainText('No call', { timeout: 30_000 });
  });
});
