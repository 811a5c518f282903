import type { Page } from '@playwright/test';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import type { CallHandoff, CallRecord } from '@switchboard/shared-contracts';
import { agentCalls, clickClear, knownCallSids, sandboxCalls } from './call-checks';
import { agentLegSid, waitForLegAudio } from './conference';
import { expect, type Agent, type RunningStack } from './fixtures';
import { eventually, signIn, trackPeerConnections, waitForCallPhase, waitForChip } from './softphone';

/**
 * The moves of a customer call anchored in a conference (CUSTOMER_CALL_ANCHOR=conference, the default) as
 * agents make them in the softphone: the customer calling the support line, answering, the transfer dialog.
 */

/** The agent's profile, its peer connections recorded for getStats (before any page script), signed in and online. */
export async function onlineAgent(newAgent: () => Promise<Agent>, stack: RunningStack, identity: string): Promise<Agent> {
  const agent = await newAgent();
  await trackPeerConnections(agent.context);
  await signIn(agent.page, stack.apiUrl, identity);
  await waitForChip(agent.page, 'registered');
  return agent;
}

/**
 * A simulated customer calls the support line (which rings bob) and keeps talking (a 440 Hz tone) until
 * the call is ended for them; resolves with the customer's CallSid.
 */
export async function customerCallsSupport(stack: RunningStack, from: string, to: string = SANDBOX_NUMBERS.support): Promise<string> {
  const placed = await stack.sandbox<{ callSid: string }>('POST', '/sandbox/inbound', {
    from,
    to,
    script: [{ tone: { hz: 440, seconds: 900 } }, { hangup: true }],
  });
  expect(placed.status).toBe(201);
  return placed.body.callSid;
}

/** The agent's phone rings (with `from`, when given: digits compared, as the card formats the number); they answer. */
export async function answerCall(page: Page, from?: string): Promise<void> {
  await page.getByTestId('incoming-card').waitFor();
  if (from) expect((await page.getByTestId('incoming-caller').innerText()).replace(/\D/g, '')).toContain(from.slice(2));
  await page.getByTestId('accept-button').click();
  await waitForCallPhase(page, 'open');
  await expect(page.getByTestId('hold-button')).toBeEnabled();
}

/** Opens the transfer dialog with the bar's Transfer (cold) or Consult button. */
export async function openTransferDialog(page: Page, mode: 'cold' | 'consult'): Promise<void> {
  await clickClear(page, mode === 'cold' ? 'transfer-button' : 'consult-button');
  await expect(page.getByTestId('transfer-title')).toHaveText(mode === 'cold' ? 'Transfer the call' : 'Consult before transferring');
}

/** In the open dialog: picks the agent from the directory and sends. */
export async function pickAgentAndSend(page: Page, identity: string): Promise<void> {
  await page.getByTestId(`transfer-option-agent-${identity}`).click();
  await page.getByTestId('transfer-submit').click();
  await page.getByTestId('transfer-title').waitFor({ state: 'detached' });
}

/** The call-control bar's transfer line (`Transfer to Alice …: Ringing the transfer target`) once it says `words`. */
export async function expectTransferStatus(page: Page, words: string | RegExp): Promise<void> {
  await expect(page.getByTestId('transfer-status')).toContainText(words);
}

/** The agent's stored record of `callSid` once `accept` holds (the API learns of the end through callbacks). */
export async function storedCall(page: Page, apiUrl: string, callSid: string, accept: (call: CallRecord | undefined) => boolean, what: string): Promise<CallRecord> {
  const found = await eventually(async () => (await agentCalls(page, apiUrl)).find((call) => call.callSid === callSid), accept, 30_000, what);
  return found as CallRecord;
}

/** The handoffs of a stored call as `kind:outcome` (e.g. `transfer:transferred`), oldest first. */
export function handoffSummary(call: CallRecord): string[] {
  return call.handoffs.map((handoff: CallHandoff) => `${handoff.kind}:${handoff.outcome}`);
}

/** Bob and alice online; a customer calls the support line and bob answers; the customer hears him. */
export async function bobWithCustomer(stack: RunningStack, newAgent: () => Promise<Agent>, caller: string) {
  const bob = await onlineAgent(newAgent, stack, 'bob');
  const alice = await onlineAgent(newAgent, stack, 'alice');
  const before = { bob: await knownCallSids(bob.page, stack.apiUrl), alice: await knownCallSids(alice.page, stack.apiUrl) };
  const callSid = await customerCallsSupport(stack, caller);
  await answerCall(bob.page, caller);
  const bobLeg = await agentLegSid(stack, callSid, 'bob');
  await waitForLegAudio(stack, callSid, { hears: [bobLeg], notHears: ['hold'] }, 'the customer hears bob');
  return { bob, alice, before, callSid, bobLeg };
}

/** The customer's leg (and so the call) has ended in the sandbox. */
export async function customerLegCompleted(stack: RunningStack, callSid: string): Promise<void> {
  await eventually(
    async () => (await sandboxCalls(stack.sandbox)).legs.find((leg) => leg.callSid === callSid),
    (leg) => leg?.status === 'completed',
    30_000,
    "the customer's leg completed",
  );
}
