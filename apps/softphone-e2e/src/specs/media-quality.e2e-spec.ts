import type { CallRecord, Page as ApiPage } from '@switchboard/shared-contracts';
import { recordChanges, SandboxCalls, SandboxLeg, seenChanges } from '../support/observe';
import { expect, test } from '../support/fixtures';
import { dial, eventually, signIn, waitForCallPhase, waitForChip } from '../support/softphone';

/**
 * Heavy loss for long enough that the SDK's statsMonitor (1 s samples, loss averaged over several)
 * raises a warning for certain, then a clean line so it clears again.
 */
const LOSS_PERCENT = 40;
const LOSS_SECONDS = 10;

test.describe('media loss on a call leg', () => {
  test('degrades the quality indicator with remediation text, and recovers when the loss stops', async ({ stack, newAgent }) => {
    const alice = await newAgent();
    const bob = await newAgent();
    await recordChanges(alice.context, { 'quality-indicator': 'data-level' });
    await signIn(alice.page, stack.apiUrl, 'alice');
    await signIn(bob.page, stack.apiUrl, 'bob');
    await waitForChip(alice.page, 'registered');
    await waitForChip(bob.page, 'registered');

    await dial(alice.page, 'bob');
    await bob.page.getByTestId('accept-button').click();
    await waitForCallPhase(alice.page, 'open');
    await waitForCallPhase(bob.page, 'open');
    // A healthy line first: the indicator starts good, with live figures.
    await alice.page.locator('[data-testid=quality-indicator][data-level=good]').waitFor();
    await alice.page.getByTestId('quality-mos').waitFor();
    expect(await alice.page.getByTestId('remediation-text').count()).toBe(0);

    const aliceLeg = await eventually(
      async () => (await stack.sandbox<SandboxCalls>('GET', '/sandbox/calls')).body.legs.find(isAliceLiveLeg),
      (leg) => leg !== undefined,
      10_000,
      "alice's live leg in the sandbox",
    );
    const callSid = (aliceLeg as SandboxLeg).callSid;
    const fault = await stack.sandbox<{ affected: number }>('POST', '/sandbox/faults/packet-loss', { callSid, percent: LOSS_PERCENT, seconds: LOSS_SECONDS });
    expect(fault).toEqual({ status: 200, body: { affected: 1 } });

    // Degraded: fair or poor, with a warning that says what to do.
    await alice.page.locator('[data-testid=quality-indicator]:is([data-level=fair],[data-level=poor])').waitFor({ timeout: 20_000 });
    const remediation = alice.page.getByTestId('remediation-text').first();
    await remediation.waitFor({ timeout: 20_000 });
    expect((await remediation.innerText()).trim().length).toBeGreaterThan(20);
    const warningNames = await alice.page.getByTestId('quality-warning').evaluateAll((items) => items.map((item) => item.getAttribute('data-warning')));
    expect(warningNames.length).toBeGreaterThan(0);

    // The loss ends by itself; the indicator comes back to good and the warning goes away.
    await alice.page.locator('[data-testid=quality-indicator][data-level=good]').waitFor({ timeout: 40_000 });
    await alice.page.getByTestId('remediation-text').first().waitFor({ state: 'detached', timeout: 20_000 });
    const levels = (await seenChanges(alice.page, 'quality-indicator')).map((seen) => seen.value);
    const firstBad = levels.findIndex((level) => level === 'fair' || level === 'poor');
    expect(firstBad).toBeGreaterThan(0);
    expect(levels.slice(0, firstBad)).toContain('good');
    expect(levels.at(-1)).toBe('good');
    // The call lived through it.
    expect(await alice.page.getByTestId('in-call-view').getAttribute('data-phase')).toBe('open');

    await alice.page.getByTestId('hang-up-button').click();
    await alice.page.locator('[data-testid=call-outcome][data-outcome=completed]').waitFor();
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });

    // The API stored the call under the same CallSid the fault hit.
    const history = (await (await alice.page.request.get(`${stack.apiUrl}/api/calls`)).json()) as ApiPage<CallRecord>;
    expect(history.items.map((call) => call.callSid)).toContain(callSid);
  });
});

function isAliceLiveLeg(leg: SandboxLeg): boolean {
  return leg.from === 'client:alice' && leg.direction === 'inbound' && leg.status === 'in-progress';
}
