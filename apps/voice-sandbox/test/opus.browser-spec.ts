import type { Page } from 'playwright-core';
import { decodeWav, SILENCE_RMS_THRESHOLD } from '@switchboard/sandbox-twiml-engine';
import { audioBothWays, frameLevels, remoteIceUfrag, type AudioStats } from './support/audio-stats';
import {
  callAndAnswer,
  getWithBasicAuth,
  hangUp,
  hasEvent,
  resetDevices,
  restartIce,
  sandboxToken,
  startBrowserHarness,
  until,
  WAIT_MS,
  type BrowserHarness,
  type TwimlAppStandIn,
} from './support/browser-harness';
import { OUTGOING_PATH } from './support/twiml-app-stand-in';

/**
 * Issue 11 item 6: with `codecPreferences: ['opus', 'pcmu']` the real SDK in Chromium negotiates Opus with the
 * sandbox, as it does with Twilio, and the sandbox bridges, records and reads DTMF from Opus legs; with the SDK's
 * default preferences (PCMU first) calls stay on PCMU.
 */

const OPUS_FIRST = ['opus', 'pcmu'];

describe('Opus with the real Voice SDK (codecPreferences)', () => {
  let harness: BrowserHarness;
  let twimlApp: TwimlAppStandIn;
  const logs: Record<string, unknown>[] = [];
  /** alice and bob prefer Opus; carol keeps the SDK's default preferences. */
  let alice: Page;
  let bob: Page;
  let carol: Page;

  async function agent(identity: string, codecPreferences?: string[]): Promise<Page> {
    const options = { ...(codecPreferences ? { codecPreferences } : {}), maxCallSignalingTimeoutMs: 30_000 };
    const { page, state } = await harness.openDevice(sandboxToken(identity), options);
    expect(state).toBe('registered');
    return page;
  }

  /** The codecs the sandbox's legs settled on since `from` (its `media.codec` log lines). */
  const sandboxCodecs = (from: number) => logs.slice(from).filter((l) => l['event'] === 'media.codec').map((l) => l['codec']);

  /** `caller` calls bob, who answers; resolves once both send and hear audio, with where the sandbox's log stood before the call. */
  async function answeredCallToBob(caller: Page): Promise<{ logsBefore: number; callerStats: Required<AudioStats>; bobStats: Required<AudioStats> }> {
    const logsBefore = logs.length;
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: {} };
    await callAndAnswer(caller, bob);
    const [callerStats, bobStats] = await Promise.all([audioBothWays(caller), audioBothWays(bob)]);
    return { logsBefore, callerStats, bobStats };
  }

  beforeAll(async () => {
    harness = await startBrowserHarness({ dataDirPrefix: 'voice-sandbox-opus-', log: (event, fields) => logs.push({ event, ...fields }) });
    twimlApp = harness.twimlApp;
    alice = await agent('alice', OPUS_FIRST);
    bob = await agent('bob', OPUS_FIRST);
    carol = await agent('carol');
  });

  afterAll(() => harness?.close());

  afterEach(async () => {
    twimlApp.routes.clear();
    await resetDevices([alice, bob, carol]);
  });

  it('alice → bob, both preferring Opus: both legs negotiate audio/opus at 48000 and audio flows both ways', async () => {
    const { logsBefore, callerStats: aliceStats, bobStats } = await answeredCallToBob(alice);
    for (const stats of [aliceStats, bobStats]) {
      expect([stats.outbound.codec, stats.inbound.codec]).toEqual(['audio/opus', 'audio/opus']);
      expect([stats.outbound.clockRate, stats.inbound.clockRate]).toEqual([48000, 48000]);
    }
    // alice's leg answered her offer; bob's leg was our offer, answered by his SDK.
    expect(sandboxCodecs(logsBefore)).toEqual(['opus', 'opus']);
    await hangUp(alice, bob);
  });

  it('an Opus call stays on Opus through the SDK\'s ICE restart (its media reconnection) and audio flows again both ways', async () => {
    const { logsBefore } = await answeredCallToBob(alice);
    const before = await Promise.all([remoteIceUfrag(alice), remoteIceUfrag(bob)]);
    // What the SDK's media reconnection runs: a `reinvite` whose offer restarts ICE (for bob's leg the SDK offers
    // this time, where the sandbox offered the first time).
    await restartIce([alice, bob]);
    await until('both pages applying the re-answer', async () => {
      const after = await Promise.all([remoteIceUfrag(alice), remoteIceUfrag(bob)]);
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
    await hangUp(alice, bob);
  });

  it('carol with the SDK\'s default preferences stays on PCMU, bridged to bob\'s Opus leg, audio both ways', async () => {
    const { logsBefore, callerStats: carolStats, bobStats } = await answeredCallToBob(carol);
    expect([carolStats.outbound.codec, carolStats.inbound.codec]).toEqual(['audio/PCMU', 'audio/PCMU']);
    expect([bobStats.outbound.codec, bobStats.inbound.codec]).toEqual(['audio/opus', 'audio/opus']);
    expect(sandboxCodecs(logsBefore)).toEqual(['PCMU', 'opus']);
    await hangUp(carol, bob);
  });

  it('<Record> of an Opus call keeps what alice says (the fake microphone) as a non-silent WAV', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Record maxLength="4" playBeep="true" action="/recorded"/>');
    twimlApp.routes.set('/recorded', () => '<Hangup/>');
    await alice.evaluate(`t.connect({ To: 'voicemail' })`);
    await hasEvent(alice, 'out:accept');
    const stats = await audioBothWays(alice); // she hears the beep
    expect([stats.outbound.codec, stats.inbound.codec]).toEqual(['audio/opus', 'audio/opus']);
    const recorded = await twimlApp.waitFor('the <Record> action', (r) => r.path === '/recorded');
    expect(recorded.signatureValid).toBe(true);
    await hasEvent(alice, 'out:disconnect');
    const wav = await getWithBasicAuth(recorded.params['RecordingUrl']);
    expect(wav.status).toBe(200);
    const audio = decodeWav(wav.body);
    // Chromium's fake microphone beeps: some 20 ms frames must be far above the engine's silence level.
    const frames = frameLevels(audio.samples);
    expect(frames.length).toBeGreaterThan(100);
    expect(frames.filter((level) => level >= 10 * SILENCE_RMS_THRESHOLD).length).toBeGreaterThan(0);
  });

  it('<Gather> reads digits Chromium sends as RFC 4733 events on an Opus call (telephone-event at 48000)', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Gather action="/gathered" finishOnKey="#" timeout="10"><Say>Enter your code</Say></Gather><Hangup/>');
    twimlApp.routes.set('/gathered', () => '<Pause length="30"/>');
    const before = twimlApp.requests.length;
    const logsBefore = logs.length;
    await alice.evaluate(`t.connect({ To: 'ivr' })`);
    await hasEvent(alice, 'out:accept');
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
