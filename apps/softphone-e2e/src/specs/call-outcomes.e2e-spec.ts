import type { Dialog } from '@playwright/test';
import { expect, test, type Agent, type SandboxClient } from '../support/fixtures';
import { chipState, dial, eventually } from '../support/softphone';
import { historyRowText, newestLegTo, sandboxCalls } from '../support/call-checks';
import { voicemails, waitForCallStatus } from '../support/agent-records';

/** Alice dials bob; resolves once bob's card shows alice, with the sandbox's leg to bob. */
async function aliceRingsBob(sandbox: SandboxClient, alice: Agent, bob: Agent) {
  const legsBefore = new Set((await sandboxCalls(sandbox)).legs.map((leg) => leg.callSid));
  await dial(alice.page, 'bob');
  await bob.page.getByTestId('incoming-card').waitFor();
  expect(await bob.page.getByTestId('incoming-caller').innerText()).toContain('alice');
  const bobLeg = await eventually(
    () => newestLegTo(sandbox, 'client:bob'),
    (leg) => !!leg && !legsBefore.has(leg.callSid) && leg.status === 'ringing',
    10_000,
    'a new leg ringing bob',
  );
  return { bobLegSid: bobLeg?.callSid as string, callSid: bobLeg?.parentCallSid as string };
}

test.describe('calls that are not answered: declined and cancelled', () => {
  test('bob declines: alice sees "declined", both are idle, and the call is stored as not answered, without voicemail', async ({ stack, signedInAgent }) => {
    const alice = await signedInAgent('alice');
    const bob = await signedInAgent('bob');
    const { callSid, bobLegSid } = await aliceRingsBob(stack.sandbox, alice, bob);

    await bob.page.getByTestId('decline-button').click();

    const outcome = alice.page.locator('[data-testid=call-outcome][data-outcome=declined]');
    await outcome.waitFor();
    await bob.page.getByTestId('incoming-card').waitFor({ state: 'detached' });
    expect(await alice.page.getByTestId('in-call-view').count()).toBe(0);
    expect(await bob.page.getByTestId('in-call-view').count()).toBe(0);
    expect(await chipState(alice.page)).toBe('registered');
    expect(await chipState(bob.page)).toBe('registered');

    // The sandbox: bob's leg was refused (Twilio reports a declined client as busy), never answered;
    // alice's leg was rejected before answer, not answered by a voicemail greeting.
    const legs = (await sandboxCalls(stack.sandbox)).legs;
    const bobLeg = legs.find((leg) => leg.callSid === bobLegSid);
    expect(bobLeg?.status).toBe('busy');
    expect(bobLeg?.events.map((e) => e.status)).not.toContain('in-progress');
    const aliceLeg = legs.find((leg) => leg.callSid === callSid);
    expect(aliceLeg?.status).toBe('busy');
    expect(aliceLeg?.events.map((e) => e.status)).not.toContain('in-progress');
    // The API: the call is in both histories, not answered, no talk time, and no voicemail for it.
    const stored = await waitForCallStatus(alice.page, stack.apiUrl, callSid, ['busy']);
    expect(stored).toMatchObject({ from: 'client:alice', to: 'client:bob' });
    expect(stored.durationSeconds ?? 0).toBe(0);
    expect(await waitForCallStatus(bob.page, stack.apiUrl, callSid, ['busy'])).toMatchObject({ callSid });
    expect((await voicemails(bob.page, stack.apiUrl)).items.map((v) => v.callSid)).not.toContain(callSid);
  });

  test("alice cancels while it rings (bob's reload asks first): bob's card goes away and the call is in bob's history as missed", async ({ stack, signedInAgent }) => {
    const alice = await signedInAgent('alice');
    const bob = await signedInAgent('bob');
    const { callSid, bobLegSid } = await aliceRingsBob(stack.sandbox, alice, bob);

    // Bob tries to reload while it rings: the browser asks first, and staying keeps the call ringing.
    // (Chromium asks only on a page the user has interacted with: a click on the caller's name.)
    await bob.page.getByTestId('incoming-caller').click();
    const asked = new Promise<Dialog>((resolve) => bob.page.once('dialog', resolve));
    // Not awaited before the dialog is handled: the page is blocked until then.
    const reloading = bob.page.evaluate(() => location.reload());
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    await reloading;
    expect(await bob.page.getByTestId('incoming-card').isVisible()).toBe(true);
    expect((await sandboxCalls(stack.sandbox)).legs.find((leg) => leg.callSid === bobLegSid)?.status).toBe('ringing');

    await alice.page.getByTestId('hang-up-button').click();

    await bob.page.getByTestId('incoming-card').waitFor({ state: 'detached' });
    expect(await bob.page.getByTestId('in-call-view').count()).toBe(0);
    await alice.page.locator('[data-testid=call-outcome][data-outcome=cancelled]').waitFor();
    expect(await chipState(bob.page)).toBe('registered');

    // The sandbox: bob's leg was cancelled while ringing.
    const bobLeg = (await sandboxCalls(stack.sandbox)).legs.find((leg) => leg.callSid === bobLegSid);
    expect(bobLeg?.status).toBe('canceled');
    // The API and bob's history page: the call is there, cancelled (missed), without talk time.
    const stored = await waitForCallStatus(bob.page, stack.apiUrl, callSid, ['canceled']);
    expect(stored).toMatchObject({ from: 'client:alice', to: 'client:bob' });
    expect(stored.durationSeconds ?? 0).toBe(0);
    const row = await historyRowText(bob.page, callSid);
    // Missed, from bob's side: an incoming call from alice that he never answered.
    expect(row).toContain('call_received');
    expect(row).toContain('alice');
    expect(row).toContain('Cancelled');
  });
});
