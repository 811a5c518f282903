import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, sandboxDeviceOptions } from '@switchboard/shared-sandbox-defaults';
import { decodeWav, rms, SILENCE_RMS_THRESHOLD } from '@switchboard/sandbox-twiml-engine';
import { defaultConfig, type SandboxConfig } from '../src/app/config';
import { startSandbox, type RunningSandbox } from '../src/app/sandbox-app';
import { twimlEngineExtensions } from '../src/app/twiml-wiring';
import { startPageServer } from './support/page-server';
import { bundleVoiceSdk } from './support/sdk-bundle';
import { OUTGOING_PATH, startTwimlApp } from './support/twiml-app-stand-in';

/**
 * Issue 11 item 6: with `codecPreferences: ['opus', 'pcmu']` the real SDK in Chromium negotiates Opus with the
 * sandbox, as it does with Twilio, and the sandbox bridges, records and reads DTMF from Opus legs; with the SDK's
 * default preferences (PCMU first) calls stay on PCMU.
 */

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
const WAIT_MS = 20_000;
const OPUS_FIRST = ['opus', 'pcmu'];

function token(identity: string): string {
  const { AccessToken } = twilio.jwt;
  const accessToken = new AccessToken(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, {
    identity,
    ttl: 3600,
  });
  accessToken.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid }));
  return accessToken.toJwt();
}

/** GET over the sandbox's HTTPS with Basic auth (account SID + auth token), as a developer fetches a RecordingUrl. */
function getWithBasicAuth(url: string): Promise<{ status: number; body: Buffer }> {
  const auth = Buffer.from(`${SANDBOX_CREDENTIALS.accountSid}:${SANDBOX_CREDENTIALS.authToken}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, headers: { authorization: `Basic ${auth}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What Chromium's getStats says about the SDK's current call: the codec each way, bytes, the level it hears. */
interface AudioStats {
  outbound?: { codec?: string; clockRate?: number; bytesSent: number };
  inbound?: { codec?: string; clockRate?: number; bytesReceived: number; audioLevel: number };
}
const READ_AUDIO_STATS = `(async () => {
  const pc = window.peerConnections.at(-1);
  if (!pc) return {};
  const stats = await pc.getStats();
  const byId = new Map();
  stats.forEach((s) => byId.set(s.id, s));
  const result = {};
  stats.forEach((s) => {
    if (s.kind !== 'audio') return;
    const codec = byId.get(s.codecId) || {};
    if (s.type === 'outbound-rtp') result.outbound = { codec: codec.mimeType, clockRate: codec.clockRate, bytesSent: s.bytesSent || 0 };
    if (s.type === 'inbound-rtp') result.inbound = { codec: codec.mimeType, clockRate: codec.clockRate, bytesReceived: s.bytesReceived || 0, audioLevel: s.audioLevel || 0 };
  });
  return result;
})()`;

/** Waits until the page sends and receives audio, with a non-zero level on what it hears, and returns those stats. */
async function audioBothWays(page: Page): Promise<Required<AudioStats>> {
  let last: AudioStats = {};
  return until('audio both ways', async () => {
    last = (await page.evaluate(READ_AUDIO_STATS)) as AudioStats;
    const { outbound, inbound } = last;
    return outbound?.codec && inbound?.codec && outbound.bytesSent > 0 && inbound.bytesReceived > 0 && inbound.audioLevel > 0
      ? { outbound, inbound }
      : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last stats ${JSON.stringify(last)}`);
  });
}

describe('Opus with the real Voice SDK (codecPreferences)', () => {
  let browser: Browser;
  let sandbox: RunningSandbox;
  let pageServer: Awaited<ReturnType<typeof startPageServer>>;
  let twimlApp: Awaited<ReturnType<typeof startTwimlApp>>;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const logs: Record<string, unknown>[] = [];
  /** alice and bob prefer Opus; carol keeps the SDK's default preferences. */
  let alice: Page;
  let bob: Page;
  let carol: Page;

  async function agent(identity: string, codecPreferences?: string[]): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(pageServer.url);
    const options = {
      ...sandboxDeviceOptions({ signalingHost: `127.0.0.1:${sandbox.port}` }),
      ...(codecPreferences ? { codecPreferences } : {}),
      maxCallSignalingTimeoutMs: 30_000,
      logLevel: 'warn',
    };
    expect(await page.evaluate(`t.start(${JSON.stringify(token(identity))}, ${JSON.stringify(options)})`)).toBe('registered');
    return page;
  }

  const has = (page: Page, event: string): Promise<void> =>
    page.waitForFunction(`t.has(${JSON.stringify(event)})`, undefined, { timeout: WAIT_MS }).then(() => undefined);

  /** The codecs the sandbox's legs settled on since `from` (its `media.codec` log lines). */
  const sandboxCodecs = (from: number) => logs.slice(from).filter((l) => l['event'] === 'media.codec').map((l) => l['codec']);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-opus-'));
    twimlApp = await startTwimlApp(SANDBOX_CREDENTIALS.authToken);
    const base = defaultConfig();
    const config: SandboxConfig = { ...base, port: 0, dataDir, applications: base.applications.map((a) => ({ ...a, voiceUrl: twimlApp.url })) };
    sandbox = await startSandbox(config, { log: (event, fields) => logs.push({ event, ...fields }), ...twimlEngineExtensions() });
    pageServer = await startPageServer(await bundleVoiceSdk());
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    alice = await agent('alice', OPUS_FIRST);
    bob = await agent('bob', OPUS_FIRST);
    carol = await agent('carol');
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
    twimlApp.routes.clear();
    await Promise.all([alice, bob, carol].map((p) => p.evaluate('t.device.disconnectAll(); t.reset()')));
  });

  it('alice → bob, both preferring Opus: both legs negotiate audio/opus at 48000 and audio flows both ways', async () => {
    const logsBefore = logs.length;
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: {} };
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.accept()');
    await has(alice, 'out:accept');
    const [aliceStats, bobStats] = await Promise.all([audioBothWays(alice), audioBothWays(bob)]);
    for (const stats of [aliceStats, bobStats]) {
      expect([stats.outbound.codec, stats.inbound.codec]).toEqual(['audio/opus', 'audio/opus']);
      expect([stats.outbound.clockRate, stats.inbound.clockRate]).toEqual([48000, 48000]);
    }
    // alice's leg answered her offer; bob's leg was our offer, answered by his SDK.
    expect(sandboxCodecs(logsBefore)).toEqual(['opus', 'opus']);
    await alice.evaluate('t.call.disconnect()');
    await has(bob, 'in:disconnect');
  });

  it('an Opus call stays on Opus through the SDK\'s ICE restart (its media reconnection) and audio flows again both ways', async () => {
    const logsBefore = logs.length;
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: {} };
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.accept()');
    await has(alice, 'out:accept');
    await Promise.all([audioBothWays(alice), audioBothWays(bob)]);
    const remoteUfrag = (page: Page) => page.evaluate(`window.peerConnections.at(-1).remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]`);
    const before = await Promise.all([remoteUfrag(alice), remoteUfrag(bob)]);
    // What the SDK's media reconnection runs: a `reinvite` whose offer restarts ICE (for bob's leg the SDK offers
    // this time, where the sandbox offered the first time).
    await Promise.all([alice, bob].map((page) => page.evaluate('t.call ? t.call._mediaHandler.iceRestart() : t.incoming._mediaHandler.iceRestart()')));
    await until('both pages applying the re-answer', async () => {
      const after = await Promise.all([remoteUfrag(alice), remoteUfrag(bob)]);
      return after[0] !== before[0] && after[1] !== before[1];
    });
    for (const page of [alice, bob]) {
      const atReanswer = (await audioBothWays(page)).inbound.bytesReceived;
      const grown = await until('audio after the restart', async () => {
        const stats = await audioBothWays(page);
        return stats.inbound.bytesReceived > atReanswer + 2000 ? stats : undefined;
      });
      expect([grown.outbound.codec, grown.inbound.codec]).toEqual(['audio/opus', 'audio/opus']);
    }
    // The renegotiation kept each leg's codec (and its encoder and decoder state) rather than making new ones.
    expect(sandboxCodecs(logsBefore)).toEqual(['opus', 'opus']);
    await alice.evaluate('t.call.disconnect()');
    await has(bob, 'in:disconnect');
  });

  it('carol with the SDK\'s default preferences stays on PCMU, bridged to bob\'s Opus leg, audio both ways', async () => {
    const logsBefore = logs.length;
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: {} };
    await carol.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.accept()');
    await has(carol, 'out:accept');
    const [carolStats, bobStats] = await Promise.all([audioBothWays(carol), audioBothWays(bob)]);
    expect([carolStats.outbound.codec, carolStats.inbound.codec]).toEqual(['audio/PCMU', 'audio/PCMU']);
    expect([bobStats.outbound.codec, bobStats.inbound.codec]).toEqual(['audio/opus', 'audio/opus']);
    expect(sandboxCodecs(logsBefore)).toEqual(['PCMU', 'opus']);
    await carol.evaluate('t.call.disconnect()');
    await has(bob, 'in:disconnect');
  });

  it('<Record> of an Opus call keeps what alice says (the fake microphone) as a non-silent WAV', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Record maxLength="4" playBeep="true" action="/recorded"/>');
    twimlApp.routes.set('/recorded', () => '<Hangup/>');
    await alice.evaluate(`t.connect({ To: 'voicemail' })`);
    await has(alice, 'out:accept');
    const stats = await audioBothWays(alice); // she hears the beep
    expect([stats.outbound.codec, stats.inbound.codec]).toEqual(['audio/opus', 'audio/opus']);
    const recorded = await twimlApp.waitFor('the <Record> action', (r) => r.path === '/recorded');
    expect(recorded.signatureValid).toBe(true);
    await has(alice, 'out:disconnect');
    const wav = await getWithBasicAuth(recorded.params['RecordingUrl']);
    expect(wav.status).toBe(200);
    const audio = decodeWav(wav.body);
    // Chromium's fake microphone beeps: some 20 ms frames must be far above the engine's silence level.
    const frames: number[] = [];
    for (let i = 0; i + 160 <= audio.samples.length; i += 160) frames.push(rms(audio.samples.subarray(i, i + 160)));
    expect(frames.length).toBeGreaterThan(100);
    expect(frames.filter((level) => level >= 10 * SILENCE_RMS_THRESHOLD).length).toBeGreaterThan(0);
  });

  it('<Gather> reads digits Chromium sends as RFC 4733 events on an Opus call (telephone-event at 48000)', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Gather action="/gathered" finishOnKey="#" timeout="10"><Say>Enter your code</Say></Gather><Hangup/>');
    twimlApp.routes.set('/gathered', () => '<Pause length="30"/>');
    const before = twimlApp.requests.length;
    const logsBefore = logs.length;
    await alice.evaluate(`t.connect({ To: 'ivr' })`);
    await has(alice, 'out:accept');
    // Chromium inserts RFC 4733 events only once DTLS is up; before that the SDK signals the digits instead.
    await alice.waitForFunction('window.peerConnections.at(-1).getSenders().find((s) => s.dtmf).dtmf.canInsertDTMF', undefined, { timeout: WAIT_MS });
    const stats = await audioBothWays(alice);
    expect(stats.outbound.codec).toBe('audio/opus');
    await alice.evaluate(`t.call.sendDigits('12#')`);
    const gathered = await twimlApp.waitFor('the <Gather> action', (r, i) => i >= before && r.path === '/gathered');
    expect([gathered.params['Digits'], gathered.params['FinishedOnKey']]).toEqual(['12', '#']);
    // The digits came as RTP events, not over signaling.
    expect(logs.slice(logsBefore).filter((l) => l['event'] === 'signal.in' && l['type'] === 'dtmf')).toEqual([]);
    await alice.evaluate('t.call.disconnect()');
  });
});
