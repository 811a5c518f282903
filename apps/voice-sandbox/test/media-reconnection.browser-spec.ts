import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, sandboxDeviceOptions } from '@switchboard/shared-sandbox-defaults';
import { defaultConfig, type SandboxConfig } from '../src/app/config';
import { startSandbox, type RunningSandbox } from '../src/app/sandbox-app';
import { twimlEngineExtensions } from '../src/app/twiml-wiring';
import { startPageServer } from './support/page-server';
import { bundleVoiceSdk } from './support/sdk-bundle';
import { startTwimlApp } from './support/twiml-app-stand-in';

/**
 * Media reconnection with the real Voice SDK in Chromium: the SDK's ICE restart (a `reinvite` whose offer
 * carries new ICE credentials) must bring audio back on the sandbox's werift leg, whether the SDK restarts
 * on its own after a media outage (the sandbox's stall-media fault) or is told to restart directly.
 * "Audio back" is read from Chromium's getStats: inbound-rtp bytes and packets grow after the restart.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
const WAIT_MS = 20_000;
/**
 * Long enough for the SDK to start its media reconnection: Chromium's ICE goes `disconnected` after a few
 * unanswered checks, and the SDK's bytesReceived warning needs three empty one-second samples once its
 * stats warnings are on (5 s into the call); both are needed before it sends the restart.
 */
const STALL_SECONDS = 10;

interface InboundStats {
  readonly bytesReceived: number;
  readonly packetsReceived: number;
}

function token(identity: string): string {
  const { AccessToken } = twilio.jwt;
  const accessToken = new AccessToken(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, {
    identity,
    ttl: 3600,
  });
  accessToken.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid }));
  return accessToken.toJwt();
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, waitMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** inbound-rtp audio totals of the page's newest peer connection (the SDK's call). */
const inbound = (page: Page): Promise<InboundStats> =>
  page.evaluate(async () => {
    const pcs = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    const totals = { bytesReceived: 0, packetsReceived: 0 };
    (await pcs[pcs.length - 1].getStats()).forEach((s: { type: string; kind?: string; bytesReceived?: number; packetsReceived?: number }) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
      totals.bytesReceived = s.bytesReceived ?? 0;
      totals.packetsReceived = s.packetsReceived ?? 0;
    });
    return totals;
  });

/** The ice-ufrag of the sandbox's side as the page's newest peer connection last applied it. */
const remoteUfrag = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => {
    const pcs = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    return /a=ice-ufrag:(\S+)/.exec(pcs[pcs.length - 1].remoteDescription?.sdp ?? '')?.[1];
  });

/** Resolves with the stats once inbound audio has grown by some packets past `from` (a few 20 ms PCMU packets). */
function audioGrowsPast(page: Page, from: InboundStats, what: string): Promise<InboundStats> {
  let last = from;
  return until(what, async () => {
    last = await inbound(page);
    return last.packetsReceived >= from.packetsReceived + 10 && last.bytesReceived > from.bytesReceived ? last : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; inbound stats went from ${JSON.stringify(from)} to ${JSON.stringify(last)}`);
  });
}

describe('media reconnection: the SDK\'s ICE restart against the sandbox', () => {
  let browser: Browser;
  let sandbox: RunningSandbox;
  let pageServer: Awaited<ReturnType<typeof startPageServer>>;
  let twimlApp: Awaited<ReturnType<typeof startTwimlApp>>;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const logs: ({ event: string; at: number } & Record<string, unknown>)[] = [];
  let alice: Page;
  let bob: Page;

  async function agent(identity: string): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(pageServer.url);
    const options = { ...sandboxDeviceOptions({ signalingHost: `127.0.0.1:${sandbox.port}` }), logLevel: 'warn' };
    const state = await page.evaluate(`t.start(${JSON.stringify(token(identity))}, ${JSON.stringify(options)})`);
    if (state !== 'registered') throw new Error(`${identity} did not register: ${String(state)}`);
    return page;
  }

  const has = (page: Page, event: string, timeout = WAIT_MS): Promise<void> =>
    page.waitForFunction(`t.has(${JSON.stringify(event)})`, undefined, { timeout }).then(() => undefined);

  /** POST a fault hook over the sandbox's own (self-signed) HTTPS, on loopback. */
  function postFault(name: string, body: unknown): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${sandbox.url}/sandbox/faults/${name}`,
        { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  /** alice calls bob, bob accepts, and both hear audio from the sandbox. */
  async function answeredCall(): Promise<void> {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.accept()');
    await has(alice, 'out:accept');
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
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-media-reconnection-'));
    twimlApp = await startTwimlApp(SANDBOX_CREDENTIALS.authToken);
    const base = defaultConfig();
    const config: SandboxConfig = {
      ...base,
      port: 0,
      dataDir,
      faults: true,
      applications: base.applications.map((a) => ({ ...a, voiceUrl: twimlApp.url })),
    };
    sandbox = await startSandbox(config, { log: (event, fields) => logs.push({ event, at: Date.now(), ...fields }), ...twimlEngineExtensions() });
    pageServer = await startPageServer(await bundleVoiceSdk());
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    alice = await agent('alice');
    bob = await agent('bob');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await pageServer?.close();
    await sandbox?.close();
    await twimlApp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await Promise.all([alice, bob].map((p) => p.evaluate('t.device.disconnectAll(); t.reset()')));
  });

  it('the SDK\'s own ICE restart on both legs gets new ICE credentials from the sandbox, and audio keeps flowing both ways', async () => {
    await answeredCall();
    const since = Date.now();
    const before = { alice: await remoteUfrag(alice), bob: await remoteUfrag(bob) };
    // PeerConnection.iceRestart is what the SDK's media reconnection runs: a `reinvite` with an ICE-restart offer.
    // alice's leg was first negotiated with the sandbox answering, bob's with the sandbox offering.
    await Promise.all([alice, bob].map((page) => page.evaluate('t.call ? t.call._mediaHandler.iceRestart() : t.incoming._mediaHandler.iceRestart()')));
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
    await has(alice, 'out:reconnecting', STALL_SECONDS * 1000 + WAIT_MS);
    // The SDK's reconnecting came from the sandbox's outage: its restart went to the sandbox as a reinvite.
    expect(logs.some((l) => l.event === 'signal.in' && l['type'] === 'reinvite' && l.at >= stalledAt)).toBe(true);
    await has(alice, 'out:reconnected', STALL_SECONDS * 1000 + WAIT_MS);
    const reconnectedAt = Date.now();
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
