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

/**
 * Bob consults alice: the customer waits on hold music while alice rings and while the two agents talk
 * privately (neither is heard by the customer, nor the customer by them). Resolves with alice's leg.
 */
async function consultAlice(stack: RunningStack, bob: Agent, alice: Agent, callSid: string, bobLeg: string, screenshot = false): Promise<string> {
  await openTransferDialog(bob.page, 'consult');
  await pickAgentAndSend(bob.page, 'alice');
  await expectTransferStatus(bob.page, /Consult with .*Ringing the transfer target/);
  await waitForLegAudio(stack, callSid, { hears: ['hold'], notHears: [bobLeg] }, 'the customer on hold while alice rings');
  await answerCall(alice.page);
  await expectTransferStatus(bob.page, /Consult with .*Answered/);
  await expect(bob.page.getByTestId('complete-button')).toBeEnabled();
  await expect(bob.page.getByTestId('three-way-button')).toBeEnabled();
  await expect(bob.page.getByTestId('cancel-transfer-button')).toBeEnabled();
  const aliceLeg = await agentLegSid(stack, callSid, 'alice');
  // Private: the agents hear each other, the customer hears only the music and is not heard.
  const customer = await waitForLegAudio(stack, callSid, { hears: ['hold'], notHears: [bobLeg, aliceLeg] }, 'the customer hears only the hold music');
  expect(Object.keys(customer.sources)).toEqual(['hold']);
  await waitForLegAudio(stack, bobLeg, { hears: [aliceLeg], notHears: [callSid] }, 'bob hears alice, not the customer');
  await waitForLegAudio(stack, aliceLeg, { hears: [bobLeg], notHears: [callSid] }, 'alice hears bob, not the customer');
  // The consult as bob sees it: axe-clean in both themes, and the README's pictures.
  if (screenshot) expect(await screenshotAndAudit(bob.page, 'consult')).toEqual([]);
  return aliceLeg;
}

/** An agent hangs up through the softphone; their in-call view goes. */
async function hangUp(agent: Agent): Promise<void> {
  await clickClear(agent.page, 'hang-up-button');
  await agent.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
}

test.describe('consult (warm transfer) of a conference-anchored customer call', () => {
  test('bob consults alice, then completes: bob is free, alice and the caller hear each other', async ({ stack, newAgent }) => {
    test.slow(); // two browsers, two axe audits and the conference's callbacks on a busy two-core machine
    const caller = '+14155550181';
    const { bob, alice, before, callSid, bobLeg } = await bobWithCustomer(stack, newAgent, caller);
    await bob.page.setViewportSize(VIEWPORT);
    await bob.page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    const aliceLeg = await consultAlice(stack, bob, alice, callSid, bobLeg, true);

    await clickClear(bob.page, 'complete-button');
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    const heard = await waitForLegAudio(stack, callSid, { hears: [aliceLeg], notHears: ['hold', bobLeg] }, 'the customer hears alice');
    expect(Object.keys(heard.sources)).toEqual([aliceLeg]);
    await waitForLegAudio(stack, aliceLeg, { hears: [callSid], notHears: [bobLeg] }, 'alice hears the customer');
    await waitForAudio(alice.page, 'sound');
    await expect(alice.page.locator('[data-testid=participant][data-role=customer]')).toHaveCount(1);
    await expect(alice.page.locator('[data-testid=participant][data-role=agent]:not([data-self])')).toHaveCount(0);

    await hangUp(alice);
    await customerLegCompleted(stack, callSid);
    const stored = await newCallRecord(bob.page, stack.apiUrl, before.bob, ['completed']);
    expect(stored).toMatchObject({ callSid, from: caller });
    expect(handoffSummary(stored)).toEqual(['consult:completed']);
    expect((await newCallRecord(alice.page, stack.apiUrl, before.alice, ['completed'])).callSid).toBe(callSid);
  });

  test('bob consults alice, then cancels: alice is released and the caller is back with bob', async ({ stack, newAgent }) => {
    test.slow();
    const caller = '+14155550182';
    const { bob, alice, before, callSid, bobLeg } = await bobWithCustomer(stack, newAgent, caller);
    const aliceLeg = await consultAlice(stack, bob, alice, callSid, bobLeg);

    await clickClear(bob.page, 'cancel-transfer-button');
    await alice.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    await expect(bob.page.getByTestId('hold-button')).toBeEnabled();
    const heard = await waitForLegAudio(stack, callSid, { hears: [bobLeg], notHears: ['hold', aliceLeg] }, 'the customer hears bob again');
    expect(Object.keys(heard.sources)).toEqual([bobLeg]);
    await waitForAudio(bob.page, 'sound');

    await hangUp(bob);
    await customerLegCompleted(stack, callSid);
    const stored = await newCallRecord(bob.page, stack.apiUrl, before.bob, ['completed']);
    expect(stored.callSid).toBe(callSid);
    expect(handoffSummary(stored)).toEqual(['consult:cancelled']);
  });

  test('bob consults alice, then joins all three: everyone hears the other two', async ({ stack, newAgent }) => {
    test.slow();
    const caller = '+14155550183';
    const { bob, alice, before, callSid, bobLeg } = await bobWithCustomer(stack, newAgent, caller);
    const aliceLeg = await consultAlice(stack, bob, alice, callSid, bobLeg);

    await clickClear(bob.page, 'three-way-button');
    const customer = await waitForLegAudio(stack, callSid, { hears: [bobLeg, aliceLeg], notHears: ['hold'] }, 'the customer hears bob and alice');
    expect(Object.keys(customer.sources).sort()).toEqual([aliceLeg, bobLeg].sort());
    await waitForLegAudio(stack, bobLeg, { hears: [callSid, aliceLeg] }, 'bob hears the customer and alice');
    await waitForLegAudio(stack, aliceLeg, { hears: [callSid, bobLeg] }, 'alice hears the customer and bob');
    await waitForAudio(bob.page, 'sound');
    await waitForAudio(alice.page, 'sound');
    for (const agent of [bob, alice]) await expect(agent.page.locator('[data-testid=participant]')).toHaveCount(3);

    // Bob leaves; alice stays with the caller, then hangs up too.
    await hangUp(bob);
    await waitForLegAudio(stack, callSid, { hears: [aliceLeg], notHears: [bobLeg, 'hold'] }, 'the customer still hears alice after bob left');
    await hangUp(alice);
    await customerLegCompleted(stack, callSid);
    const stored = await newCallRecord(bob.page, stack.apiUrl, before.bob, ['completed']);
    expect(stored.callSid).toBe(callSid);
    expect(handoffSummary(stored)).toEqual(['consult:three-way']);
  });
});
