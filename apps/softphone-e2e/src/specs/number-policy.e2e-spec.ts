import { API_ROUTES, type CheckNumberResponse } from '@switchboard/shared-contracts';
import { expect, test } from '../support/fixtures';
import { chipState, dial, signIn, waitForChip } from '../support/softphone';
import { agentCalls, sandboxCalls } from '../support/call-checks';

/** In the default policy's blocked premium-rate ranges (+1 900). */
const PREMIUM_RATE = '+19005550100';

test.describe('the calling policy refuses a premium-rate number before any call exists', () => {
  test(`alice dialling ${PREMIUM_RATE} sees the refusal in words; no leg is created and no call is stored`, async ({ stack, newAgent }) => {
    const alice = await newAgent();
    await signIn(alice.page, stack.apiUrl, 'alice');
    await waitForChip(alice.page, 'registered');
    const legsBefore = new Set((await sandboxCalls(stack.sandbox)).legs.map((leg) => leg.callSid));
    const callsBefore = (await agentCalls(alice.page, stack.apiUrl)).length;

    const checked = alice.page.waitForResponse((response) => response.url().endsWith(API_ROUTES.calls.checkNumber));
    await dial(alice.page, PREMIUM_RATE);
    const answer = (await (await checked).json()) as CheckNumberResponse;
    expect(answer).toMatchObject({ allowed: false, reason: 'blocked-prefix' });

    const outcome = alice.page.getByTestId('call-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.getAttribute('data-outcome')).toBe('failed');
    expect(await outcome.innerText()).toContain("Premium-rate and other high-cost number ranges are blocked by your organisation's calling policy.");
    expect(await alice.page.getByTestId('call-outcome-guidance').innerText()).toContain('calling policy');
    expect(await chipState(alice.page)).toBe('registered');

    // The SDK never connected: the sandbox saw no new leg at all (not alice's, not one to the number).
    const newLegs = (await sandboxCalls(stack.sandbox)).legs.filter((leg) => !legsBefore.has(leg.callSid));
    expect(newLegs).toEqual([]);
    const stored = await agentCalls(alice.page, stack.apiUrl);
    expect(stored.filter((call) => call.to === PREMIUM_RATE)).toEqual([]);
    expect(stored).toHaveLength(callsBefore);
  });
});
