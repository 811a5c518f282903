import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { SCREENSHOT_VIEWPORT as VIEWPORT, screenshotAndAudit } from '../support/accessibility';
import { expect, test } from '../support/fixtures';
import { eventually, signIn, trackPeerConnections, waitForCallPhase, waitForChip } from '../support/softphone';
import { clickClear, historyRowText, knownCallSids, newCallRecord, sandboxCalls, waitForAudio } from '../support/call-checks';
import { agentLegSid, customerParticipant, waitForLegAudio } from '../support/conference';

const CALLER = '+14155550188';
const CALLER_MASKED = '+1 ••• ••• 0188';

test.describe('a customer call anchored in a conference', () => {
  test('bob answers the support line, holds and resumes the caller, hangs up, and history shows one call', async ({ stack, newAgent }) => {
    test.slow(); // a browser, two axe audits and the conference's callbacks on a busy two-core machine
    const bob = await newAgent();
    await trackPeerConnections(bob.context);
    await bob.page.setViewportSize(VIEWPORT);
    await bob.page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await signIn(bob.page, stack.apiUrl, 'bob');
    await waitForChip(bob.page, 'registered');
    const before = await knownCallSids(bob.page, stack.apiUrl);

    // The customer calls the support line and keeps talking (a tone) until the call is ended for them.
    const placed = await stack.sandbox<{ callSid: string }>('POST', '/sandbox/inbound', {
      from: CALLER,
      to: SANDBOX_NUMBERS.support,
      script: [{ tone: { hz: 440, seconds: 110 } }, { hangup: true }],
    });
    expect(placed.status).toBe(201);
    const callSid = placed.body.callSid;

    // Bob's phone rings with the caller's number; he answers.
    await bob.page.getByTestId('incoming-card').waitFor();
    expect((await bob.page.getByTestId('incoming-caller').innerText()).replace(/\D/g, '')).toContain(CALLER.slice(2));
    await bob.page.getByTestId('accept-button').click();
    await waitForCallPhase(bob.page, 'open');

    // The call is controllable: the control bar and the participants list, the caller's number masked.
    await expect(bob.page.getByTestId('hold-button')).toBeEnabled();
    const customer = bob.page.locator('[data-testid=participant][data-role=customer]');
    await expect(customer.getByTestId('participant-role')).toContainText(CALLER_MASKED);
    await expect(customer.getByTestId('participant-states')).not.toContainText('On hold');
    expect((await customerParticipant(stack, callSid))?.hold).toBe(false);
    // They hear each other: the customer's leg is sent bob's leg (his fake microphone's beeps), bob's browser the tone.
    const bobLeg = await agentLegSid(stack, callSid, 'bob');
    await waitForLegAudio(stack, callSid, { hears: [bobLeg], notHears: ['hold'] }, 'the customer hears bob');
    await waitForAudio(bob.page, 'sound');

    // Hold: bob sees it with a timer, the sandbox holds the customer's participant (held: not heard, hears the hold source).
    await clickClear(bob.page, 'hold-button');
    await expect(bob.page.getByTestId('resume-button')).toBeEnabled();
    await expect(bob.page.getByTestId('held-timer')).toBeVisible();
    await expect(customer.getByTestId('participant-states')).toContainText('On hold');
    const held = await eventually(() => customerParticipant(stack, callSid), (p) => p?.hold === true, 20_000, 'customer held in the sandbox');
    expect(held).toMatchObject({ call_sid: callSid, label: 'customer', hold: true });
    // Held: the customer hears the hold music and nothing of bob; bob hears nothing of the customer.
    const onHold = await waitForLegAudio(stack, callSid, { hears: ['hold'], notHears: [bobLeg] }, 'the held customer hears only the hold music');
    expect(Object.keys(onHold.sources)).toEqual(['hold']);
    await waitForAudio(bob.page, 'silent');

    // The in-call view with the controls, held: axe-clean in both themes, and the README's pictures.
    expect(await screenshotAndAudit(bob.page, 'in-call-hold')).toEqual([]);

    // Resume.
    await clickClear(bob.page, 'resume-button');
    await expect(bob.page.getByTestId('hold-button')).toBeEnabled();
    await expect(bob.page.getByTestId('held-timer')).toHaveCount(0);
    await expect(customer.getByTestId('participant-states')).not.toContainText('On hold');
    await eventually(() => customerParticipant(stack, callSid), (p) => p?.hold === false, 20_000, 'customer resumed in the sandbox');
    const resumed = await waitForLegAudio(stack, callSid, { hears: [bobLeg], notHears: ['hold'] }, 'the resumed customer hears bob again');
    expect(Object.keys(resumed.sources)).toEqual([bobLeg]);
    await waitForAudio(bob.page, 'sound');

    // Bob hangs up: the customer's call ends too, and bob's history gains this one call.
    await clickClear(bob.page, 'hang-up-button');
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    const customerLeg = await eventually(
      async () => (await sandboxCalls(stack.sandbox)).legs.find((leg) => leg.callSid === callSid),
      (leg) => leg?.status === 'completed',
      30_000,
      "the customer's leg completed",
    );
    expect(customerLeg).toMatchObject({ from: CALLER, to: SANDBOX_NUMBERS.support });
    const stored = await newCallRecord(bob.page, stack.apiUrl, before, ['completed']);
    expect(stored).toMatchObject({ callSid, direction: 'inbound', from: CALLER, to: SANDBOX_NUMBERS.support });
    expect(await historyRowText(bob.page, callSid)).toContain('Completed');
  });
});
