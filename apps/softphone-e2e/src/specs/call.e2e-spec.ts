import { Browser } from 'playwright-core';
import { newAgentContext, PageWatch } from '../support/browser';
import { connectSuite } from '../support/suite';
import { chipState, dial, eventually, inboundAudio, signIn, trackPeerConnections, waitForCallPhase, waitForChip } from '../support/softphone';

describe('alice calls bob', () => {
  let browser: Browser;
  let apiUrl: string;
  const watches: PageWatch[] = [];

  beforeAll(async () => {
    const suite = await connectSuite();
    browser = suite.browser;
    apiUrl = suite.stack.apiUrl;
  });
  afterAll(async () => {
    await browser?.close();
    for (const watch of watches) {
      expect(watch.nonLoopbackRequests).toEqual([]);
      expect(watch.uncaughtErrors).toEqual([]);
    }
  });

  it('rings bob with alice shown, connects with audio both ways, and returns both to idle on hang-up', async () => {
    const alice = await newAgentContext(browser);
    const bob = await newAgentContext(browser);
    watches.push(alice.watch, bob.watch);
    await trackPeerConnections(alice.context);
    await trackPeerConnections(bob.context);

    await signIn(alice.page, apiUrl, 'alice');
    await signIn(bob.page, apiUrl, 'bob');
    await waitForChip(alice.page, 'registered');
    await waitForChip(bob.page, 'registered');

    await dial(alice.page, 'bob');
    await bob.page.getByTestId('incoming-card').waitFor();
    expect(await bob.page.getByTestId('incoming-caller').innerText()).toContain('alice');

    await bob.page.getByTestId('accept-button').click();
    await waitForCallPhase(alice.page, 'open');
    await waitForCallPhase(bob.page, 'open');

    for (const page of [alice.page, bob.page]) {
      const audio = await eventually(() => inboundAudio(page), (a) => a.bytesReceived > 0 && a.audioLevel > 0, 20_000, 'inbound audio');
      expect(audio.bytesReceived).toBeGreaterThan(0);
      expect(audio.audioLevel).toBeGreaterThan(0);
    }

    await alice.page.getByTestId('hang-up-button').click();
    await alice.page.locator('[data-testid=call-outcome][data-outcome=completed]').waitFor();
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    expect(await chipState(alice.page)).toBe('registered');
  });
});
