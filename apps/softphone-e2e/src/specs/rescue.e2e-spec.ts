import type { Voicemail } from '@switchboard/shared-contracts';
import { voicemails } from '../support/agent-records';
import { answerCall, customerCallsSupport, customerLegCompleted, handoffSummary, onlineAgent } from '../support/anchored-call';
import { clickClear, knownCallSids, newCallRecord, waitForAudio } from '../support/call-checks';
import { conferenceParticipants, customerParticipant, waitForLegAudio } from '../support/conference';
import { expect, test, type Agent, type RunningStack } from '../support/fixtures';
import { eventually, waitForCallPhase } from '../support/softphone';

/**
 * Long enough for bob's page to reload, reconnect and offer the rejoin on a busy machine; short enough
 * that the test without a rejoin does not wait the default minute. Voicemail takes 5 s of message (the
 * API's floor), so the caller's endless tone does not keep the recording going.
 */
const RESCUE_WINDOW_SECONDS = 20;
test.use({
  stackOptions: {
    apiEnv: { RESCUE_WINDOW_SECONDS: String(RESCUE_WINDOW_SECONDS), VOICEMAIL_MAX_LENGTH_SECONDS: '5' },
  },
});

/** Bob online; a customer calls the support line, bob answers and the customer hears him. */
async function bobOnCall(stack: RunningStack, newAgent: () => Promise<Agent>, caller: string) {
  const bob = await onlineAgent(newAgent, stack, 'bob');
  const before = await knownCallSids(bob.page, stack.apiUrl);
  const callSid = await customerCallsSupport(stack, caller);
  await answerCall(bob.page, caller);
  const bobLeg = (await conferenceParticipants(stack, callSid)).find((p) => p.label === 'client:bob')?.call_sid as string;
  await waitForLegAudio(stack, callSid, { hears: [bobLeg], notHears: ['hold'] }, 'the customer hears bob');
  return { bob, before, callSid, bobLeg };
}

/**
 * Bob's page reloads mid-call (his leg ends without a hang-up through the API): the customer is held and
 * hears the rescue message, and bob's page, once back, offers "Rejoin call" for the customer.
 */
async function bobReloads(stack: RunningStack, bob: Agent, callSid: string, bobLeg: string, caller: string): Promise<void> {
  // Listening starts before the reload: the message is short, and followed by silence in the sandbox.
  const message = waitForLegAudio(stack, callSid, { hears: ['hold'], notHears: [bobLeg] }, 'the customer hears the rescue message', 30_000);
  await bob.page.reload();
  const heard = await message;
  expect(Object.keys(heard.sources)).toEqual(['hold']);
  expect(await customerParticipant(stack, callSid)).toMatchObject({ hold: true });
  const banner = bob.page.getByTestId('rejoin-banner');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(banner.getByTestId('rejoin-customer')).toContainText(caller.slice(-4));
  await expect(banner.getByTestId('rejoin-button')).toHaveText(/Rejoin call/);
}

test.describe('rescue of a customer call when the agent drops out', () => {
  test('bob reloads mid-call: the caller holds with the message, bob rejoins and they hear each other again; one call', async ({ stack, newAgent }) => {
    test.slow(); // a reload, a rejoin and the conference's callbacks on a busy two-core machine
    const caller = '+14155550191';
    const { bob, before, callSid, bobLeg } = await bobOnCall(stack, newAgent, caller);
    await bobReloads(stack, bob, callSid, bobLeg, caller);

    await bob.page.getByTestId('rejoin-button').click();
    await waitForCallPhase(bob.page, 'open');
    await bob.page.getByTestId('rejoin-banner').waitFor({ state: 'detached' });
    const rejoined = await eventually(
      async () => (await conferenceParticipants(stack, callSid)).find((p) => p.label === 'client:bob' && p.call_sid !== bobLeg),
      (participant) => participant !== undefined,
      20_000,
      "bob's new leg in the customer's conference",
    );
    const newLeg = rejoined?.call_sid as string;
    const heard = await waitForLegAudio(stack, callSid, { hears: [newLeg], notHears: ['hold'] }, 'the customer hears bob again');
    expect(Object.keys(heard.sources)).toEqual([newLeg]);
    await waitForAudio(bob.page, 'sound');
    expect(await customerParticipant(stack, callSid)).toMatchObject({ hold: false });

    await clickClear(bob.page, 'hang-up-button');
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    await customerLegCompleted(stack, callSid);
    const stored = await newCallRecord(bob.page, stack.apiUrl, before, ['completed']);
    expect(stored).toMatchObject({ callSid, from: caller });
    expect(handoffSummary(stored)).toEqual(['rescue:rejoined']);
  });

  test('bob reloads and does not rejoin: when the window passes the caller reaches voicemail; one call', async ({ stack, newAgent }) => {
    test.slow();
    const caller = '+14155550192';
    const { bob, before, callSid, bobLeg } = await bobOnCall(stack, newAgent, caller);
    const messagesBefore = await voicemails(bob.page, stack.apiUrl);
    await bobReloads(stack, bob, callSid, bobLeg, caller);

    // The offer ends with the window; the caller leaves the conference for the routed target's voicemail.
    await bob.page.getByTestId('rejoin-banner').waitFor({ state: 'detached', timeout: (RESCUE_WINDOW_SECONDS + 20) * 1000 });
    await expect(bob.page.getByTestId('call-control-notice')).toBeVisible();
    const stored = await eventually(
      async () => (await voicemails(bob.page, stack.apiUrl)).items.find((v) => v.callSid === callSid),
      (v): v is Voicemail => v !== undefined,
      60_000,
      `voicemail of ${callSid}`,
    );
    expect(stored).toMatchObject({ from: caller, calledTarget: 'group:support' });
    expect((await voicemails(bob.page, stack.apiUrl)).unheard).toBe(messagesBefore.unheard + 1);

    await customerLegCompleted(stack, callSid);
    const record = await newCallRecord(bob.page, stack.apiUrl, before, ['completed']);
    expect(record.callSid).toBe(callSid);
    expect(handoffSummary(record)).toEqual(['rescue:voicemail']);
  });
});
