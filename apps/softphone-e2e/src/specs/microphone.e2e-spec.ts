import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../tools/stack/chromium.mjs';
import { expect, test } from '../support/fixtures';
import { eventually, signIn, waitForCallPhase, waitForChip } from '../support/softphone';
import { knownCallSids, newCallRecord, newestLegTo, sandboxCalls } from '../support/call-checks';
import { conferenceParticipants } from '../support/conference';

/** A number the sandbox answers and echoes (a scripted party), so a call can be placed without a second agent. */
const ECHO_NUMBER = '+14155550111';

/**
 * The suite's browser runs with --use-fake-ui-for-media-stream, which accepts every microphone request
 * even where the permission is denied, so a denial cannot happen there. This spec's Chromium runs without
 * that flag (a browser, so a worker and a stack, of its own): a context without the 'microphone'
 * permission then gets a real NotAllowedError, and context.grantPermissions() is a real grant (the page
 * sees the permission change).
 */
test.use({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--use-fake-ui-for-media-stream')),
  },
});

test.describe('microphone permission', () => {
  test('denied: the call button is off with guidance; granted later, calling works without a reload', async ({ stack, newAgent }) => {
    const alice = await newAgent({ grantMicrophone: false });
    await signIn(alice.page, stack.apiUrl, 'alice');
    await waitForChip(alice.page, 'registered');
    const known = await knownCallSids(alice.page, stack.apiUrl);

    // What alice sees: why she cannot call, and a call button that stays off even with a valid number.
    const guidance = alice.page.getByTestId('microphone-guidance');
    await guidance.waitFor();
    expect(await guidance.innerText()).toMatch(/microphone/i);
    const input = alice.page.getByTestId('dial-input');
    await input.fill(ECHO_NUMBER);
    await input.press('Escape');
    const callButton = alice.page.getByTestId('call-button');
    expect(await callButton.isDisabled()).toBe(true);
    expect(await alice.page.getByTestId('dial-guidance').innerText()).toMatch(/microphone/i);
    expect(await newestLegTo(stack.sandbox, ECHO_NUMBER)).toBeUndefined();
    const pageUrl = alice.page.url();
    const navigations: string[] = [];
    alice.page.on('framenavigated', (frame) => frame === alice.page.mainFrame() && navigations.push(frame.url()));

    // The agent allows the microphone in the browser: the page hears of it, no reload.
    await alice.context.grantPermissions(['microphone'], { origin: stack.apiUrl });
    await guidance.waitFor({ state: 'detached' });
    await eventually(() => callButton.isEnabled(), (enabled) => enabled, 10_000, 'the call button enabled');
    expect(await alice.page.getByTestId('dial-guidance').count()).toBe(0);
    await callButton.click();
    await waitForCallPhase(alice.page, 'open');
    expect(navigations).toEqual([]);
    expect(alice.page.url()).toBe(pageUrl);

    // The call really went out: alice's leg is anchored in a conference of its own (sb-<her CallSid>), into
    // which the API had the sandbox dial the echo number over REST (the participant labelled customer), and
    // the number answered; the API stored her call.
    const aliceLeg = await eventually(
      async () => (await sandboxCalls(stack.sandbox)).legs.find((l) => l.from === 'client:alice' && l.to === ECHO_NUMBER),
      (l) => l?.status === 'in-progress',
      10_000,
      "alice's leg to the echo number",
    );
    const callSid = aliceLeg?.callSid as string;
    expect(callSid).toMatch(/^CA[0-9a-f]{32}$/);
    const numberLeg = await eventually(
      async () => {
        const dialled = (await conferenceParticipants(stack, callSid)).find((p) => p.label === 'customer');
        return dialled && (await sandboxCalls(stack.sandbox)).legs.find((l) => l.callSid === dialled.call_sid);
      },
      (l) => l?.status === 'in-progress',
      10_000,
      "the echo number answered in alice's conference",
    );
    expect(numberLeg).toMatchObject({ to: ECHO_NUMBER, direction: 'outbound-api' });
    await alice.page.getByTestId('hang-up-button').click();
    await alice.page.locator('[data-testid=call-outcome][data-outcome=completed]').waitFor();
    const stored = await newCallRecord(alice.page, stack.apiUrl, known, ['completed']);
    expect(stored).toMatchObject({ callSid, from: 'client:alice', to: ECHO_NUMBER });
  });
});
