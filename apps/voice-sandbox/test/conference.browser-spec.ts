import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS, sandboxDeviceOptions } from '@switchboard/shared-sandbox-defaults';
import { rms, SILENCE_RMS_THRESHOLD, type InboundCall } from '@switchboard/sandbox-twiml-engine';
import { defaultConfig, type SandboxConfig } from '../src/app/config';
import { startSandbox, type RunningSandbox } from '../src/app/sandbox-app';
import { twimlEngineExtensions } from '../src/app/twiml-wiring';
import { startPageServer } from './support/page-server';
import { bundleVoiceSdk } from './support/sdk-bundle';
import { OUTGOING_PATH, startTwimlApp } from './support/twiml-app-stand-in';

/**
 * Two real Voice SDK devices in Chromium and a simulated PSTN caller in one sandbox conference
 * (`<Dial><Conference>`): each hears the others, and a participant held through the real twilio
 * client's Participants update is no longer heard and hears the hold music instead.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
const WAIT_MS = 20_000;
const ROOM = 'standup';
/** getStats audioLevel (0..1) below which a device hears nothing; PCMU silence decodes to exactly 0. */
const QUIET_LEVEL = 0.003;

function token(identity: string): string {
  const { AccessToken } = twilio.jwt;
  const accessToken = new AccessToken(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, { identity });
  accessToken.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid }));
  return accessToken.toJwt();
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

function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('a sandbox conference with the real Voice SDK', () => {
  let browser: Browser;
  let sandbox: RunningSandbox;
  let pageServer: Awaited<ReturnType<typeof startPageServer>>;
  let twimlApp: Awaited<ReturnType<typeof startTwimlApp>>;
  let client: ReturnType<typeof twilio>;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const inboundCalls: InboundCall[] = [];

  async function device(identity: string): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(pageServer.url);
    const options = { ...sandboxDeviceOptions({ signalingHost: `127.0.0.1:${sandbox.port}` }), codecPreferences: ['pcmu'], logLevel: 'warn' };
    await page.evaluate(`t.start(${JSON.stringify(token(identity))}, ${JSON.stringify(options)})`);
    return page;
  }

  const level = async (page: Page): Promise<number> => {
    const stats = (await page.evaluate('t.inboundAudio()')) as { audioLevel: number } | null;
    return stats?.audioLevel ?? 0;
  };
  const hears = (page: Page, what: string) => until(`${what} (audio level > ${QUIET_LEVEL})`, async () => (await level(page)) > QUIET_LEVEL);
  const hearsNothing = (page: Page, what: string) => until(`${what} (audio level ≤ ${QUIET_LEVEL})`, async () => (await level(page)) <= QUIET_LEVEL);
  /** RMS of the last second the simulated PSTN caller heard. */
  const pstnLevel = (call: InboundCall): number => {
    const heard = call.leg.heard().samples;
    return rms(heard, Math.max(0, heard.length - 8000), heard.length);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-conference-'));
    twimlApp = await startTwimlApp(SANDBOX_CREDENTIALS.authToken);
    const conference =
      `<Dial><Conference beep="false" statusCallback="${twimlApp.origin}/conference-events" ` +
      `statusCallbackEvent="start join leave hold">${ROOM}</Conference></Dial>`;
    twimlApp.routes.set(OUTGOING_PATH, () => conference);
    twimlApp.routes.set('/pstn', () => conference);
    const base = defaultConfig();
    const config: SandboxConfig = {
      ...base,
      port: 0,
      dataDir,
      applications: base.applications.map((a) => ({ ...a, voiceUrl: twimlApp.url })),
      numbers: base.numbers.map((n) => ({ ...n, voiceUrl: `${twimlApp.origin}/pstn`, statusCallback: undefined })),
    };
    sandbox = await startSandbox(config, { log: () => undefined, ...twimlEngineExtensions({ onInboundCall: (call) => inboundCalls.push(call) }) });
    client = twilio(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.authToken, {
      ca: readFileSync(join(dataDir, 'tls', 'sandbox-cert.pem'), 'utf8'),
    });
    client.api.baseUrl = sandbox.url;
    pageServer = await startPageServer(await bundleVoiceSdk());
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await pageServer?.close();
    await sandbox?.close();
    await twimlApp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('two SDK devices and a PSTN caller hear each other; a held participant is not heard and hears the hold music', async () => {
    const [alice, bob] = [await device('alice'), await device('bob')];
    await alice.evaluate(`t.connect({ To: 'conference' })`);
    await bob.evaluate(`t.connect({ To: 'conference' })`);
    const placed = await postJson(`${sandbox.url}/sandbox/inbound`, {
      from: SANDBOX_NUMBERS.customer,
      to: SANDBOX_NUMBERS.support,
      script: [{ tone: { hz: 440, seconds: 120 } }],
    });
    expect(placed.status).toBe(201);
    const pstn = await until('the inbound call', async () => inboundCalls.find((c) => c.callSid === placed.body['callSid']));

    const joins = await until('three participant-join callbacks', async () => {
      const found = twimlApp.requests.filter((r) => r.path === '/conference-events' && r.params['StatusCallbackEvent'] === 'participant-join');
      return found.length === 3 ? found : undefined;
    });
    expect(joins.every((r) => r.signatureValid && r.params['FriendlyName'] === ROOM)).toBe(true);
    const [room] = await client.conferences.list({ friendlyName: ROOM, status: 'in-progress' });
    expect(room.sid).toMatch(/^CF[0-9a-f]{32}$/);
    const participants = await client.conferences(room.sid).participants.list();
    expect(participants.map((p) => p.callSid).sort()).toEqual(joins.map((r) => r.params['CallSid']).sort());
    expect(participants.map((p) => p.callSid)).toContain(pstn.callSid);

    // Everyone speaks (Chromium's fake microphone beeps, the PSTN caller holds a tone): everyone hears something.
    await hears(alice, 'alice hears bob and the PSTN caller');
    await hears(bob, 'bob hears alice and the PSTN caller');
    await until('the PSTN caller hears alice and bob', async () => pstnLevel(pstn) > SILENCE_RMS_THRESHOLD);

    // Alice and bob mute their microphones: the PSTN caller hears nothing, they still hear its tone.
    await alice.evaluate('t.call.mute(true)');
    await bob.evaluate('t.call.mute(true)');
    await until('the PSTN caller hears silence once both devices are muted', async () => pstnLevel(pstn) < SILENCE_RMS_THRESHOLD);
    await hears(alice, 'alice hears the PSTN caller');
    await hears(bob, 'bob hears the PSTN caller');

    // Hold the PSTN caller: it keeps talking but nobody hears it, and it hears the hold music.
    const held = await client.conferences(room.sid).participants(pstn.callSid).update({ hold: true });
    expect(held.hold).toBe(true);
    await hearsNothing(alice, 'alice no longer hears the held PSTN caller');
    await hearsNothing(bob, 'bob no longer hears the held PSTN caller');
    await until('the held PSTN caller hears the hold music', async () => pstnLevel(pstn) > SILENCE_RMS_THRESHOLD);
    const holdEvent = await twimlApp.waitFor('participant-hold', (r) => r.params['StatusCallbackEvent'] === 'participant-hold');
    expect(holdEvent).toMatchObject({ signatureValid: true, params: { CallSid: pstn.callSid, Hold: 'true', ConferenceSid: room.sid } });

    // Unhold: heard again.
    await client.conferences(room.sid).participants(pstn.callSid).update({ hold: false });
    await hears(alice, 'alice hears the PSTN caller again');

    await alice.evaluate('t.device.disconnectAll()');
    await bob.evaluate('t.device.disconnectAll()');
    await twimlApp.waitFor('participant-leave of alice and bob', (r) => r.params['StatusCallbackEvent'] === 'participant-leave' && twimlApp.requests.filter((x) => x.params['StatusCallbackEvent'] === 'participant-leave').length >= 2);
    pstn.leg.hangup();
    const ended = await until('the conference to end', async () => (await client.conferences(room.sid).fetch()).status === 'completed');
    expect(ended).toBe(true);
  });
});
