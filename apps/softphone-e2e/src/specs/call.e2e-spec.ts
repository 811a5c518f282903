import { expect, test } from '../support/fixtures';
import { chipState, dial, eventually, inboundAudio, signIn, trackPeerConnections, waitForCallPhase, waitForChip } from '../support/softphone';
import { clickClear, historyRowText, knownCallSids, newestLegTo, sandboxCalls, waitForAudio } from '../support/call-checks';
import { waitForCallStatus } from '../support/agent-records';

test.describe('alice calls bob', () => {
  test('rings bob with alice shown, connects with audio both ways, mutes, sends DTMF, returns both to idle and shows in both histories', async ({ stack, newAgent }) => {
    const alice = await newAgent();
    const bob = await newAgent();
    await trackPeerConnections(alice.context);
    await trackPeerConnections(bob.context);

    await signIn(alice.page, stack.apiUrl, 'alice');
    await signIn(bob.page, stack.apiUrl, 'bob');
    await waitForChip(alice.page, 'registered');
    await waitForChip(bob.page, 'registered');
    const aliceKnown = await knownCallSids(alice.page, stack.apiUrl);
    const bobKnown = await knownCallSids(bob.page, stack.apiUrl);

    await dial(alice.page, 'bob');
    await bob.page.getByTestId('incoming-card').waitFor();
    expect(await bob.page.getByTestId('incoming-caller').innerText()).toContain('alice');

    await bob.page.getByTestId('accept-button').click();
    await waitForCallPhase(alice.page, 'open');
    await waitForCallPhase(bob.page, 'open');
    // Who is on the line: alice by her directory name, her identity beside it (once the directory has loaded).
    await expect(bob.page.getByTestId('call-remote')).toHaveText('Alice Agent');
    await expect(bob.page.getByTestId('call-remote-detail')).toHaveText('alice');

    for (const page of [alice.page, bob.page]) {
      const audio = await eventually(() => inboundAudio(page), (a) => a.bytesReceived > 0 && a.audioLevel > 0, 20_000, 'inbound audio');
      expect(audio.bytesReceived).toBeGreaterThan(0);
      expect(audio.audioLevel).toBeGreaterThan(0);
    }
    // The sandbox bridged alice's leg (placed by her browser) to a child leg ringing bob, now in progress.
    const bobLeg = await eventually(() => newestLegTo(stack.sandbox, 'client:bob'), (leg) => leg?.status === 'in-progress', 10_000, "bob's leg in progress");
    const callSid = bobLeg?.parentCallSid as string;
    expect(callSid).toMatch(/^CA[0-9a-f]{32}$/);

    // Mute: alice's button says so, and bob receives silence (alice's fake microphone beeps, so any sound is hers).
    const mute = alice.page.getByTestId('mute-button');
    await clickClear(alice.page, 'mute-button');
    await alice.page.locator('[data-testid=mute-button][aria-pressed=true]').waitFor();
    expect(await mute.getAttribute('aria-label')).toBe('Unmute');
    await waitForAudio(bob.page, 'silent');
    await clickClear(alice.page, 'mute-button');
    await alice.page.locator('[data-testid=mute-button][aria-pressed=false]').waitFor();
    expect(await waitForAudio(bob.page, 'sound')).toBeGreaterThan(0);

    // DTMF from alice's in-call keypad reaches the far end: the sandbox heard the digits on her leg.
    await clickClear(alice.page, 'keypad-toggle');
    for (const key of ['1', '2', 'hash']) await clickClear(alice.page, `keypad-key-${key}`);
    const aliceLeg = await eventually(
      async () => (await sandboxCalls(stack.sandbox)).legs.find((leg) => leg.callSid === callSid),
      (leg) => leg?.digits === '12#',
      10_000,
      "digits 12# on alice's leg",
    );
    expect(aliceLeg).toMatchObject({ from: 'client:alice', digits: '12#' });

    await clickClear(alice.page, 'hang-up-button');
    await alice.page.locator('[data-testid=call-outcome][data-outcome=completed]').waitFor();
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    expect(await chipState(alice.page)).toBe('registered');
    expect(await chipState(bob.page)).toBe('registered');
    expect(await alice.page.getByTestId('in-call-view').count()).toBe(0);

    // Both histories (API and history page) hold this one call, completed, with its duration.
    const stored = await waitForCallStatus(alice.page, stack.apiUrl, callSid, ['completed']);
    expect(aliceKnown.has(callSid) || bobKnown.has(callSid)).toBe(false);
    expect(stored).toMatchObject({ direction: 'outbound', from: 'client:alice', to: 'client:bob' });
    expect(stored.durationSeconds).toBeGreaterThan(0);
    expect(await waitForCallStatus(bob.page, stack.apiUrl, callSid, ['completed'])).toMatchObject({ durationSeconds: stored.durationSeconds });
    for (const page of [alice.page, bob.page]) {
      const row = await historyRowText(page, callSid);
      expect(row).toContain('Completed');
      expect(row).toContain(formatDuration(stored.durationSeconds as number));
    }
  });
});

/** As the history page writes a duration (m:ss). */
function formatDuration(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
