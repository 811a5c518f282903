import { documentMark, markDocument, recordChanges, SandboxCalls, seenChanges } from '../support/observe';
import { expect, test, type SandboxClient } from '../support/fixtures';
import { chipState, dial, eventually, inboundAudio, signIn, trackPeerConnections, waitForCallPhase, waitForChip } from '../support/softphone';

/** Phases the chip shows while the app works its way back online by itself ("Offline · Retrying…"). */
const RECOVERING = ['unregistered', 'registering', 'fetching-token'];
/** Long enough that the offline state is on screen for a while, short enough for CI. */
const REFUSE_SECONDS = 4;

/** Drop alice's socket and refuse new ones for a few seconds, so the outage is visible. */
async function dropAlice(sandbox: SandboxClient): Promise<void> {
  expect((await sandbox('POST', '/sandbox/faults/refuse-connections', { seconds: REFUSE_SECONDS })).status).toBe(200);
  const dropped = await sandbox<{ affected: number }>('POST', '/sandbox/faults/drop-socket', { identity: 'alice' });
  expect(dropped.status).toBe(200);
  expect(dropped.body.affected).toBeGreaterThan(0);
}

async function aliceLiveLegSid(sandbox: SandboxClient): Promise<string> {
  const leg = await eventually(
    async () => (await sandbox<SandboxCalls>('GET', '/sandbox/calls')).body.legs.find((l) => l.from === 'client:alice' && l.direction === 'inbound' && l.status === 'in-progress'),
    (found) => found !== undefined,
    10_000,
    "alice's live leg in the sandbox",
  );
  return (leg as NonNullable<typeof leg>).callSid;
}

test.describe('the sandbox drops the signaling connection', () => {
  test('shows offline and retrying, then online again without a reload', async ({ stack, newAgent }) => {
    const alice = await newAgent();
    await recordChanges(alice.context, { 'status-chip': 'data-state' });
    await signIn(alice.page, stack.apiUrl, 'alice');
    await waitForChip(alice.page, 'registered');
    const mark = await markDocument(alice.page);
    const before = (await seenChanges(alice.page, 'status-chip')).length;

    await dropAlice(stack.sandbox);
    // While connections are refused the chip must admit it: not online, and saying it retries.
    await alice.page.locator('[data-testid=status-chip]:not([data-state=registered])').first().waitFor();
    const sandboxDuring = await stack.sandbox<SandboxCalls>('GET', '/sandbox/calls');
    expect(sandboxDuring.body.registrations['alice'] ?? 0).toBe(0);

    await waitForChip(alice.page, 'registered', 30_000);
    const outage = (await seenChanges(alice.page, 'status-chip')).slice(before);
    const recovering = outage.filter((seen) => seen.value !== null && RECOVERING.includes(seen.value));
    expect(recovering.length).toBeGreaterThan(0);
    expect(recovering.some((seen) => /offline/i.test(seen.text) && /retry|reconnect/i.test(seen.text))).toBe(true);
    expect(outage.at(-1)?.value).toBe('registered');
    expect(await documentMark(alice.page)).toBe(mark);

    // The sandbox sees alice registered again on a new socket.
    const sandboxAfter = await eventually(
      async () => (await stack.sandbox<SandboxCalls>('GET', '/sandbox/calls')).body,
      (calls) => (calls.registrations['alice'] ?? 0) > 0,
      15_000,
      'alice registered in the sandbox again',
    );
    expect(sandboxAfter.registrations['alice']).toBeGreaterThan(0);
  });

  test('keeps a call in progress: reconnecting, then open again with audio still flowing', async ({ stack, newAgent }) => {
    const alice = await newAgent();
    const bob = await newAgent();
    await trackPeerConnections(alice.context);
    await recordChanges(alice.context, { 'status-chip': 'data-state', 'in-call-view': 'data-phase', 'reconnecting-banner': 'data-testid' });
    await signIn(alice.page, stack.apiUrl, 'alice');
    await signIn(bob.page, stack.apiUrl, 'bob');
    await waitForChip(alice.page, 'registered');
    await waitForChip(bob.page, 'registered');

    await dial(alice.page, 'bob');
    await bob.page.getByTestId('accept-button').click();
    await waitForCallPhase(alice.page, 'open');
    await waitForCallPhase(bob.page, 'open');
    await eventually(() => inboundAudio(alice.page), (a) => a.bytesReceived > 0, 20_000, 'alice hears bob');
    const callSid = await aliceLiveLegSid(stack.sandbox);
    const mark = await markDocument(alice.page);
    const before = (await seenChanges(alice.page)).length;

    await dropAlice(stack.sandbox);
    await alice.page.getByTestId('reconnecting-banner').waitFor({ timeout: 15_000 });
    await waitForCallPhase(alice.page, 'open', 30_000);
    await alice.page.getByTestId('reconnecting-banner').waitFor({ state: 'detached' });

    const seen = (await seenChanges(alice.page)).slice(before);
    const phases = seen.filter((s) => s.testId === 'in-call-view' && s.present).map((s) => s.value);
    expect(phases).toContain('reconnecting');
    expect(phases.at(-1)).toBe('open');
    expect(seen.some((s) => s.testId === 'reconnecting-banner' && s.present)).toBe(true);
    expect(await documentMark(alice.page)).toBe(mark);
    // bob never lost the call.
    expect(await bob.page.locator('[data-testid=in-call-view]').getAttribute('data-phase')).not.toBe(null);

    // Back online, and the call is still up.
    await waitForChip(alice.page, 'registered', 30_000);
    expect(await alice.page.getByTestId('in-call-view').getAttribute('data-phase')).toBe('open');

    // Audio still arrives after the reconnection.
    const afterReconnect = await inboundAudio(alice.page);
    const later = await eventually(
      () => inboundAudio(alice.page),
      (a) => a.bytesReceived > afterReconnect.bytesReceived + 1000 && a.audioLevel > 0,
      20_000,
      'audio after the reconnection',
    );
    expect(later.bytesReceived).toBeGreaterThan(afterReconnect.bytesReceived);

    // The sandbox kept one live leg for alice all along: same CallSid, still in progress.
    const calls = (await stack.sandbox<SandboxCalls>('GET', '/sandbox/calls')).body;
    const aliceLegs = calls.legs.filter((leg) => leg.from === 'client:alice' && leg.direction === 'inbound' && leg.status === 'in-progress');
    expect(aliceLegs.map((leg) => leg.callSid)).toEqual([callSid]);

    await alice.page.getByTestId('hang-up-button').click();
    await alice.page.locator('[data-testid=call-outcome][data-outcome=completed]').waitFor();
    await bob.page.getByTestId('in-call-view').waitFor({ state: 'detached' });
    expect(await chipState(alice.page)).toBe('registered');
  });
});
