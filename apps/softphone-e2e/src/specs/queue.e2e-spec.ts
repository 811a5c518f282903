import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import type { Page } from '@playwright/test';
import { answerCall, customerCallsSupport, customerLegCompleted } from '../support/anchored-call';
import { clickClear, sandboxCalls, type SandboxLeg } from '../support/call-checks';
import { agentLegSid, waitForLegAudio } from '../support/conference';
import { expect, test, type RunningStack } from '../support/fixtures';
import { eventually } from '../support/softphone';

const CALLER = '+14155550193';
/** What the queue's wait document says first (libs/api/feature-twiml queue-wait.ts, queuePositionMessage). */
const FIRST_IN_QUEUE = 'You are caller number 1 in the queue.';

const status = (page: Page) => page.getByTestId('availability-status');

/** A sandbox leg with the `<Say>`s it heard to their end in its conference's wait document (a test surface). */

async function customerLeg(stack: RunningStack, callSid: string): Promise<SandboxLeg | undefined> {
  return (await sandboxCalls(stack.sandbox)).legs.find((leg) => leg.callSid === callSid);
}

/** The legs the API placed to agents' softphones for this caller (queue offers ring `client:<identity>` from the caller's number). */
async function agentLegsFrom(stack: RunningStack, from: string): Promise<string[]> {
  return (await sandboxCalls(stack.sandbox)).legs.filter((leg) => leg.direction === 'outbound-api' && leg.from === from).map((leg) => leg.to);
}

test.describe('the queue (issue 13, item 3)', () => {
  test('nobody available: the support caller queues and hears position 1 (on sam’s board); bob becomes Available, is rung and answers; wrap-up after', async ({ stack, signedInAgent }) => {
    test.slow(); // two browsers, a queued caller's wait rounds, then a call with its conference callbacks
    // Signing in waits until each agent is Available and reachable (support/softphone.ts).
    const bob = await signedInAgent('bob');
    const sam = await signedInAgent('sam');

    // Bob (the support group's only member) goes on a break: nobody can take a support call.
    await bob.page.getByTestId('status-menu-button').click();
    await bob.page.getByTestId('status-away').click();
    await bob.page.getByTestId('status-away-break').click();
    await expect(status(bob.page)).toHaveAttribute('data-state', 'away');

    // A customer calls the support line: queued, they are told their position (the wait document's <Say>, heard to its end).
    const callSid = await customerCallsSupport(stack, CALLER, SANDBOX_NUMBERS.support);
    const told = await eventually(
      () => customerLeg(stack, callSid),
      (leg) => (leg?.heardSpeech?.length ?? 0) > 0,
      30_000,
      'the caller told their position',
    );
    expect(told?.heardSpeech?.[0]).toContain(FIRST_IN_QUEUE);
    expect(told?.status).toBe('in-progress');
    // Then the hold music (the wait source of the sandbox's leg meter), no agent.
    await waitForLegAudio(stack, callSid, { hears: ['wait'] }, 'the queued caller hears the hold music', 30_000);
    // Nobody was rung: the queue offers a call within a second to an eligible member, and that was long ago.
    expect(await agentLegsFrom(stack, CALLER)).toEqual([]);
    await expect(bob.page.getByTestId('incoming-card')).toHaveCount(0);

    // Sam's board shows the caller waiting, first in line.
    await sam.page.getByTestId('nav-floor').click();
    await expect(sam.page.getByTestId('floor-page')).toHaveAttribute('data-status', 'loaded');
    const waiting = sam.page.locator(`[data-testid=queue-row][data-call-sid="${callSid}"]`);
    await expect(waiting).toContainText(CALLER);
    await expect(waiting).toHaveAttribute('data-position', '1');
    await expect(waiting.locator('td').first()).toHaveText('1');

    // Bob ends his break: the queue offers him the call, his phone rings with the caller's number, and he answers.
    await bob.page.getByTestId('status-menu-button').click();
    await bob.page.getByTestId('status-available').click();
    // A hang guard well under the queue's 120 s before voicemail: the queue ticks each second.
    await bob.page.getByTestId('incoming-card').waitFor({ timeout: 20_000 });
    await answerCall(bob.page, CALLER);
    await expect(status(bob.page)).toHaveAttribute('data-state', 'on-call');
    expect(await agentLegsFrom(stack, CALLER)).toEqual(['client:bob']);
    // The customer hears bob, no longer the wait music; the caller has left sam's queue.
    const bobLeg = await agentLegSid(stack, callSid, 'bob');
    await waitForLegAudio(stack, callSid, { hears: [bobLeg], notHears: ['wait', 'hold'] }, 'the customer hears bob');
    await expect(waiting).toHaveCount(0);
    await expect(sam.page.getByTestId('queue-empty')).toBeVisible();

    // Bob hangs up: the call ends and he is in wrap-up; a disposition and Done leave him Available for the next spec.
    await clickClear(bob.page, 'hang-up-button');
    await customerLegCompleted(stack, callSid);
    await bob.page.getByTestId('wrap-up-card').waitFor();
    await expect(status(bob.page)).toHaveAttribute('data-state', 'wrap-up');
    await bob.page.getByTestId('wrap-up-disposition').click();
    await bob.page.getByTestId('wrap-up-disposition-resolved').click();
    await bob.page.getByTestId('wrap-up-done').click();
    await expect(status(bob.page)).toHaveAttribute('data-state', 'available');
  });
});
