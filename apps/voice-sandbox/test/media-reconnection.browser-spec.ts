import type { Page } from 'playwright-core';
import type { RunningSandbox } from '../src/app/sandbox-app';
import { audioGrowsPast, inboundTotals as inbound, remoteIceUfrag as remoteUfrag } from './support/audio-stats';
import {
  callAndAnswer,
  hasEvent,
  postJson,
  resetDevices,
  restartIce,
  sandboxToken,
  startBrowserHarness,
  until,
  WAIT_MS,
  type BrowserHarness,
} from './support/browser-harness';

/**
 * Media reconnection with the real Voice SDK in Chromium: the SDK's ICE restart (a `reinvite` whose offer
 * carries new ICE credentials) must bring audio back on the sandbox's werift leg, whether the SDK restarts
 * on its own after a media outage (the sandbox's stall-media fault) or is told to restart directly.
 * "Audio back" is read from Chromium's getStats: inbound-rtp bytes and packets grow after the restart.
 */

/**
 * Long enough for the SDK to start its media reconnection: Chromium's ICE goes `disconnected` after a few
 * unanswered checks, and the SDK's bytesReceived warning needs three empty one-second samples once its
 * stats warnings are on (5 s into the call); both are needed before it sends the restart.
 */
const STALL_SECONDS = 10;

describe('media reconnection: the SDK\'s ICE restart against the sandbox', () => {
  let harness: BrowserHarness;
  let sandbox: RunningSandbox;
  const logs: ({ event: string; at: number } & Record<string, unknown>)[] = [];
  let alice: Page;
  let bob: Page;

  async function agent(identity: string): Promise<Page> {
    const { page, state } = await harness.openDevice(sandboxToken(identity));
    if (state !== 'registered') throw new Error(`${identity} did not register: ${String(state)}`);
    return page;
  }

  /** POST a fault hook over the sandbox's own (self-signed) HTTPS, on loopback; resolves with the status. */
  const postFault = async (name: string, body: unknown): Promise<number> => (await postJson(`${sandbox.url}/sandbox/faults/${name}`, body)).status;

  /** alice calls bob, bob accepts, and both hear audio from the sandbox. */
  async function answeredCall(): Promise<void> {
    await callAndAnswer(alice, bob);
    const zero = { bytesReceived: 0, packetsReceived: 0 };
    await Promise.all([audioGrowsPast(alice, zero, 'alice hearing the call'), audioGrowsPast(bob, zero, 'bob hearing the call')]);
  }

  /** How long the sandbox's restarted ICE took from its re-answer to a selected pair (a figure, not an assertion). */
  function reportRestarts(label: string, since: number): void {
    const restarts = logs.filter((l) => l.event === 'media.ice-restart' && l.at >= since);
    const figures = restarts.map(({ leg, outcome, ms, at }) => ({ leg, outcome, reAnswerToPairMs: ms, pairAtMs: at - since }));
    process.stdout.write(`[media-reconnection] ${label} (pairAtMs from ${label === 'outage' ? 'the stall' : 'the restart'}): ${JSON.stringify(figures)}\n`);
  }

  beforeAll(async () => {
    harness = await startBrowserHarness({
      dataDirPrefix: 'voice-sandbox-media-reconnection-',
      faults: true,
      log: (event, fields) => logs.push({ event, at: Date.now(), ...fields }),
    });
    sandbox = harness.sandbox;
    alice = await agent('alice');
    bob = await agent('bob');
  });

  afterAll(() => harness?.close());

  afterEach(() => resetDevices([alice, bob]));

  it('the SDK\'s own ICE restart on both legs gets new ICE credentials from the sandbox, and audio keeps flowing both ways', async () => {
    await answeredCall();
    const since = Date.now();
    const before = { alice: await remoteUfrag(alice), bob: await remoteUfrag(bob) };
    // PeerConnection.iceRestart is what the SDK's media reconnection runs: a `reinvite` with an ICE-restart offer.
    // alice's leg was first negotiated with the sandbox answering, bob's with the sandbox offering.
    await restartIce([alice, bob]);
    const after = {
      alice: await until('alice applying the re-answer', async () => ((await remoteUfrag(alice)) !== before.alice ? remoteUfrag(alice) : undefined)),
      bob: await until('bob applying the re-answer', async () => ((await remoteUfrag(bob)) !== before.bob ? remoteUfrag(bob) : undefined)),
    };
    expect(after.alice).not.toBe(before.alice);
    expect(after.bob).not.toBe(before.bob);
    // Counted from once both pages have the new answer: nothing sent before the restart can be in these bytes.
    const [aliceAtAnswer, bobAtAnswer] = await Promise.all([inbound(alice), inbound(bob)]);
    await Promise.all([
      audioGrowsPast(alice, aliceAtAnswer, 'alice hearing the call after the ICE restart'),
      audioGrowsPast(bob, bobAtAnswer, 'bob hearing the call after the ICE restart'),
    ]);
    reportRestarts('direct restart', since);
    expect(await alice.evaluate('t.call.status()')).toBe('open');
  });

  it('after a media outage (stall-media on alice\'s leg) the SDK goes reconnecting → reconnected and alice hears the call again', async () => {
    await answeredCall();
    const callSid = (await alice.evaluate('t.call.parameters.CallSid')) as string;
    const stalledAt = Date.now();
    expect(await postFault('stall-media', { callSid, seconds: STALL_SECONDS })).toBe(200);
    await hasEvent(alice, 'out:reconnecting', STALL_SECONDS * 1000 + WAIT_MS);
    await hasEvent(alice, 'out:reconnected', STALL_SECONDS * 1000 + WAIT_MS);
    const reconnectedAt = Date.now();
    // The SDK's reconnecting came from the sandbox's outage: its restart went to the sandbox as a reinvite.
    // Checked once reconnected: the SDK emits reconnecting before it sends the reinvite, so under load the
    // reinvite may not have arrived when reconnecting is seen (a CI run caught that order).
    expect(logs.some((l) => l.event === 'signal.in' && l['type'] === 'reinvite' && l.at >= stalledAt)).toBe(true);
    const atReconnected = await inbound(alice);
    // A figure only: when the first packet after reconnected shows in getStats (polled every 50 ms).
    let firstPacketAt = Date.now();
    while ((await inbound(alice)).packetsReceived === atReconnected.packetsReceived && Date.now() < reconnectedAt + WAIT_MS) {
      await new Promise((r) => setTimeout(r, 50));
      firstPacketAt = Date.now();
    }
    await audioGrowsPast(alice, atReconnected, 'alice hearing the call after reconnected');
    await audioGrowsPast(bob, await inbound(bob), 'bob hearing alice after her reconnection');
    process.stdout.write(
      `[media-reconnection] outage: reconnected ${reconnectedAt - stalledAt} ms after the ${STALL_SECONDS} s stall began; ` +
        `first packet in getStats ${firstPacketAt - reconnectedAt} ms after reconnected\n`,
    );
    reportRestarts('outage', stalledAt);
    expect(await alice.evaluate('t.call.status()')).toBe('open');
    expect(await alice.evaluate('t.has("out:disconnect")')).toBe(false);
  });
});
