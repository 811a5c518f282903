import { Browser, BrowserContext } from 'playwright-core';
import { API_ROUTES, type CheckNumberResponse } from '@switchboard/shared-contracts';
import { newAgentContext, PageWatch } from '../support/browser';
import { connectSuite } from '../support/suite';
import { chipState, dial, signIn, waitForChip } from '../support/softphone';
import { agentCalls, SandboxClient, sandboxCalls } from '../support/call-checks';

/** In the default policy's blocked premium-rate ranges (+1 900). */
const PREMIUM_RATE = '+19005550100';

describe('the calling policy refuses a premium-rate number before any call exists', () => {
  let browser: Browser;
  let apiUrl: string;
  let sandbox: SandboxClient;
  const contexts: BrowserContext[] = [];
  const watches: PageWatch[] = [];

  beforeAll(async () => {
    const suite = await connectSuite();
    browser = suite.browser;
    apiUrl = suite.stack.apiUrl;
    sandbox = suite.stack.sandbox;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    for (const watch of watches) {
      expect(watch.nonLoopbackRequests).toEqual([]);
      expect(watch.uncaughtErrors).toEqual([]);
    }
  });

  it(`alice dialling ${PREMIUM_RATE} sees the refusal in words; no leg is created and no call is stored`, async () => {
    const alice = await newAgentContext(browser);
    contexts.push(alice.context);
    watches.push(alice.watch);
    await signIn(alice.page, apiUrl, 'alice');
    await waitForChip(alice.page, 'registered');
    const legsBefore = new Set((await sandboxCalls(sandbox)).legs.map((leg) => leg.callSid));
    const callsBefore = (await agentCalls(alice.page, apiUrl)).length;

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
    const newLegs = (await sandboxCalls(sandbox)).legs.filter((leg) => !legsBefore.has(leg.callSid));
    expect(newLegs).toEqual([]);
    const stored = await agentCalls(alice.page, apiUrl);
    expect(stored.filter((call) => call.to === PREMIUM_RATE)).toEqual([]);
    expect(stored).toHaveLength(callsBefore);
  });
});
