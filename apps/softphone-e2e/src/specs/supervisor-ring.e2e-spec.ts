import type { RingAgentResponse } from '@switchboard/shared-contracts';
import { expect, test } from '../support/fixtures';
import { callRecord, waitForCallStatus } from '../support/agent-records';

/** A private stack whose agents' phones ring 10 s instead of the default 20 s (DIAL_TIMEOUT_SECONDS). */
const DIAL_TIMEOUT_SECONDS = 10;
const RING_AGENT_PATH = '/api/calls/ring-agent';

// Settings the shared stack does not have: this spec gets a worker, and a stack, of its own.
test.use({ stackOptions: { apiEnv: { DIAL_TIMEOUT_SECONDS: String(DIAL_TIMEOUT_SECONDS) } } });

test.describe('a supervisor rings an agent from the server', () => {
  test("rings alice's phone; unanswered, the call is in alice's and sam's history as no-answer", async ({ stack, signedInAgent }) => {
    const sam = await signedInAgent('sam');
    const alice = await signedInAgent('alice');

    const ring = await sam.page.request.post(`${stack.apiUrl}${RING_AGENT_PATH}`, { data: { identity: 'alice' } });
    expect(ring.status()).toBe(201);
    const { callSid } = (await ring.json()) as RingAgentResponse;

    // Alice's phone rings; nobody answers and the card goes away when the ring time is up.
    const card = alice.page.getByTestId('incoming-card');
    await card.waitFor();
    await card.waitFor({ state: 'detached', timeout: (DIAL_TIMEOUT_SECONDS + 20) * 1000 });
    expect(await alice.page.getByTestId('in-call-view').count()).toBe(0);

    // What was stored: the sandbox's leg to alice and both histories say no-answer.
    const legs = await stack.sandbox<{ legs: { callSid: string; to: string; status: string }[] }>('GET', '/sandbox/calls');
    expect(legs.body.legs.find((leg) => leg.callSid === callSid)).toMatchObject({ to: 'client:alice', status: 'no-answer' });
    const stored = await waitForCallStatus(alice.page, stack.apiUrl, callSid, ['no-answer']);
    expect(stored).toMatchObject({ direction: 'outbound', to: 'client:alice', status: 'no-answer' });
    expect(await callRecord(sam.page, stack.apiUrl, callSid)).toMatchObject({ status: 'no-answer' });

    // What alice sees in her history.
    await alice.page.getByTestId('nav-history').click();
    const row = alice.page.locator(`[data-testid=history-row][data-call-sid="${callSid}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('No answer');
  });

  test('refuses an agent (bob) with 403 and rings nobody', async ({ stack, signedInAgent }) => {
    const bob = await signedInAgent('bob');
    const alice = await signedInAgent('alice');
    const legsBefore = (await stack.sandbox<{ legs: unknown[] }>('GET', '/sandbox/calls')).body.legs.length;

    const ring = await bob.page.request.post(`${stack.apiUrl}${RING_AGENT_PATH}`, { data: { identity: 'alice' } });
    expect(ring.status()).toBe(403);

    // No REST call was placed (the sandbox created no leg) and alice is still idle.
    expect((await stack.sandbox<{ legs: unknown[] }>('GET', '/sandbox/calls')).body.legs.length).toBe(legsBefore);
    expect(await alice.page.getByTestId('incoming-card').count()).toBe(0);
  });
});
