import { SCREENSHOT_VIEWPORT as VIEWPORT, screenshotAndAudit } from '../support/accessibility';
import {
  answerCall,
  bobWithCustomer,
  customerLegCompleted,
  expectTransferStatus,
  handoffSummary,
  openTransferDialog,
  pickAgentAndSend,
} from '../support/anchored-call';
import { clickClear, newCallRecord, waitForAudio } from '../support/call-checks';
import { agentLegSid, waitForLegAudio } from '../support/conference';
import { expect, test, type Agent, type RunningStack } from '../support/fixtures';
import { waitForChip } from '../support/softphone';

// A short ring so the unanswered transfer comes back soon (the API's floor is 5 s; 10 s leaves bob time to
// answer the support call on a busy machine): this spec gets a worker, and a stack, of its own.
test.use({ stackOptions: { apiEnv: { DIAL_TIMEOUT_SECONDS: '10' } } });

/** Bob cold-transfers to alice through the dialog; the customer waits on hold music while she rings. */
async function coldTransferToAlice(stack: RunningStack, bob: Agent, callSid: string, bobLeg: string, screenshot = false): Promise<void> {
  await openTransferDialog(bob.page, 'cold');
  // The dialog over the in-call view, with the directory: axe-clean in both themes, and the README's pictures.
  if (screenshot) expect(await screenshotAndAudit(bob.page, 'transfer-dialog')).toEqual([]);
  await pickAgentAndSend(bob.page, 'alice');
  await expectTransferStatus(bob.page, /Transfer to .*Ringing the transfer target/);
  await waitForLegAudio(stack, callSid, { hears: ['hold'], notHears: [bobLeg] }, 'the customer on hold while alice rings');
}

/** The transfer missed: bob is told why, and the customer is back with him (hears him, no music). */
async function comesBackToBob(stack: RunningStack, bob: Agent, callSid: string, bobLeg: string, reason: string): Promise<void> {
  const notice = bob.page.getByTestId('call-control-notice');
  await expect(notice).toContainText(reason, { timeout: 30_000 });
  await expect(notice).toContainText('The caller is back with you');
  await expect(bob.page.getByTestId('hold-button')).toBeEnabled();
  const back = await waitForLegAudio(stack, callSid, { hears: [bobLeg], notHears: ['hold'] }, 'the customer hears bob again');
  expect(Object.keys(back.sources)).toEqual([bobLeg]);
}

/** Bob hangs up; the customer's leg ends; bob's history gains exactly this one call, with the transfer `outcome`. */
async function bobHangsUpAndHistoryShows(stack: RunningStack, bob: Agent, before: ReadonlySet<string>, callSid: string, outcome: string): Promise<void> {
  await clickClear(bob.page, 'hang-up-button');
  await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
  await customerLegCompleted(stack, callSid);
  const stored = await newCallRecord(bob.page, stack.apiUrl, before, ['completed']);
  expect(stored.callSid).toBe(callSid);
  expect(handoffSummary(stored)).toEqual([`transfer:${outcome}`]);
}

test.describe('cold transfer of a conference-anchored customer call', () => {
  test('bob transfers the caller to alice: she rings with the number, answers, bob is free, she and the caller hear each other', async ({ stack, newAgent }) => {
    test.slow(); // two browsers, two axe audits and the conference's callbacks on a busy two-core machine
    const caller = '+14155550171';
    const { bob, alice, before, callSid, bobLeg } = await bobWithCustomer(stack, newAgent, caller);
    await bob.page.setViewportSize(VIEWPORT);
    await bob.page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });

    await coldTransferToAlice(stack, bob, callSid, bobLeg, true);

    // Alice's phone rings with the customer's number; she answers; bob's call is over for him.
    await answerCall(alice.page, caller);
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    await waitForChip(bob.page, 'registered');
    const customer = alice.page.locator('[data-testid=participant][data-role=customer]');
    await expect(customer.getByTestId('participant-role')).toContainText('0171');

    // Alice and the customer hear each other, and nothing of bob or of the hold music is left in the customer's ear.
    const aliceLeg = await agentLegSid(stack, callSid, 'alice');
    const heard = await waitForLegAudio(stack, callSid, { hears: [aliceLeg], notHears: ['hold', bobLeg] }, 'the customer hears alice');
    expect(Object.keys(heard.sources)).toEqual([aliceLeg]);
    await waitForLegAudio(stack, aliceLeg, { hears: [callSid] }, "the customer's tone reaches alice's leg");
    await waitForAudio(alice.page, 'sound');

    // Alice hangs up: the customer's call ends; each agent's history has it once, the transfer on it.
    await clickClear(alice.page, 'hang-up-button');
    await alice.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    await customerLegCompleted(stack, callSid);
    const bobs = await newCallRecord(bob.page, stack.apiUrl, before.bob, ['completed']);
    expect(bobs).toMatchObject({ callSid, direction: 'inbound', from: caller });
    expect(handoffSummary(bobs)).toEqual(['transfer:transferred']);
    const alices = await newCallRecord(alice.page, stack.apiUrl, before.alice, ['completed']);
    expect(alices.callSid).toBe(callSid);
  });

  test('alice declines: the caller comes back to bob, who is told why; history shows one call', async ({ stack, newAgent }) => {
    test.slow();
    const caller = '+14155550172';
    const { bob, alice, before, callSid, bobLeg } = await bobWithCustomer(stack, newAgent, caller);
    await coldTransferToAlice(stack, bob, callSid, bobLeg);
    await alice.page.getByTestId('incoming-card').waitFor();
    await alice.page.getByTestId('decline-button').click();
    await alice.page.getByTestId('incoming-card').waitFor({ state: 'detached' });
    await comesBackToBob(stack, bob, callSid, bobLeg, 'Declined');
    await bobHangsUpAndHistoryShows(stack, bob, before.bob, callSid, 'declined');
  });

  test('nobody answers within the dial timeout: the caller comes back to bob with "No answer"', async ({ stack, newAgent }) => {
    test.slow();
    const caller = '+14155550173';
    const { bob, alice, before, callSid, bobLeg } = await bobWithCustomer(stack, newAgent, caller);
    await coldTransferToAlice(stack, bob, callSid, bobLeg);
    // Alice's phone rings and she lets it; it stops by itself when the dial timeout passes.
    await alice.page.getByTestId('incoming-card').waitFor();
    await alice.page.getByTestId('incoming-card').waitFor({ state: 'detached', timeout: 30_000 });
    await comesBackToBob(stack, bob, callSid, bobLeg, 'No answer');
    await bobHangsUpAndHistoryShows(stack, bob, before.bob, callSid, 'no-answer');
  });
});
