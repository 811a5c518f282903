import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS, sandboxDeviceOptions } from '@switchboard/shared-sandbox-defaults';
import { decodeWav, rms, SILENCE_RMS_THRESHOLD } from '@switchboard/sandbox-twiml-engine';
import { defaultConfig, type SandboxConfig } from '../src/app/config';
import { startSandbox, type RunningSandbox } from '../src/app/sandbox-app';
import { startPageServer } from './support/page-server';
import { bundleVoiceSdk } from './support/sdk-bundle';
import { twimlEngineExtensions } from '../src/app/twiml-wiring';
import { OUTGOING_PATH, startTwimlApp } from './support/twiml-app-stand-in';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
];
const WAIT_MS = 20_000;

function token(identity: string, options: { ttl?: number; secret?: string } = {}): string {
  const { AccessToken } = twilio.jwt;
  const accessToken = new AccessToken(
    SANDBOX_CREDENTIALS.accountSid,
    SANDBOX_CREDENTIALS.apiKeySid,
    options.secret ?? SANDBOX_CREDENTIALS.apiKeySecret,
    { identity, ttl: options.ttl ?? 3600 },
  );
  accessToken.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: SANDBOX_CREDENTIALS.twimlAppSid }));
  return accessToken.toJwt();
}

/** A JWT signed with the real secret but already expired (twilio's AccessToken refuses ttl ≤ 0). */
function expiredToken(identity: string): string {
  const [header, body] = token(identity).split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const expired = Buffer.from(JSON.stringify({ ...claims, iat: now - 120, exp: now - 60 })).toString('base64url');
  const signature = createHmac('sha256', SANDBOX_CREDENTIALS.apiKeySecret).update(`${header}.${expired}`).digest('base64url');
  return `${header}.${expired}.${signature}`;
}

/** POST a fault hook over the sandbox's own (self-signed) HTTPS, on loopback. */
function postFault(name: string, body: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${sandboxUrl}/sandbox/faults/${name}`,
      { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
let sandboxUrl = '';

/** GET over the sandbox's HTTPS with Basic auth (account SID + auth token), as a developer fetches a RecordingUrl. */
function getWithBasicAuth(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  const auth = Buffer.from(`${SANDBOX_CREDENTIALS.accountSid}:${SANDBOX_CREDENTIALS.authToken}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, headers: { authorization: `Basic ${auth}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
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

describe('the real Voice SDK against the sandbox', () => {
  let browser: Browser;
  let sandbox: RunningSandbox;
  let pageServer: Awaited<ReturnType<typeof startPageServer>>;
  let twimlApp: Awaited<ReturnType<typeof startTwimlApp>>;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const requestedUrls: string[] = [];
  const logs: Record<string, unknown>[] = [];
  let alice: Page;
  let bob: Page;

  async function agent(identity: string, jwt: string): Promise<{ page: Page; state: string }> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    contexts.push(context);
    context.on('request', (request) => requestedUrls.push(request.url()));
    const page = await context.newPage();
    await page.goto(pageServer.url);
    const options = {
      ...sandboxDeviceOptions({ signalingHost: `127.0.0.1:${sandbox.port}` }),
      codecPreferences: ['opus', 'pcmu'],
      maxCallSignalingTimeoutMs: 30_000,
      logLevel: 'warn',
    };
    const state = (await page.evaluate(`t.start(${JSON.stringify(jwt)}, ${JSON.stringify(options)})`)) as string;
    return { page, state };
  }

  const has = (page: Page, event: string): Promise<void> =>
    page.waitForFunction(`t.has(${JSON.stringify(event)})`, undefined, { timeout: WAIT_MS }).then(() => undefined);

  async function audioFlowing(page: Page): Promise<{ bytesReceived: number; audioLevel: number }> {
    let last: unknown;
    return until(`inbound audio (last stats ${JSON.stringify(last)})`, async () => {
      const stats = (await page.evaluate('t.inboundAudio()')) as { bytesReceived: number; audioLevel: number } | null;
      last = stats;
      return stats && stats.bytesReceived > 0 && stats.audioLevel > 0 ? stats : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last stats ${JSON.stringify(last)}`);
    });
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-test-'));
    twimlApp = await startTwimlApp(SANDBOX_CREDENTIALS.authToken);
    const base = defaultConfig();
    const config: SandboxConfig = {
      ...base,
      port: 0,
      dataDir,
      faults: true,
      applications: base.applications.map((a) => ({ ...a, voiceUrl: twimlApp.url })),
    };
    sandbox = await startSandbox(config, {
      log: (event, fields) => {
        logs.push({ event, ...fields });
        if (process.env['SANDBOX_TEST_LOG']) process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
      },
      // The product wiring: the real TwiML engine fetches the stand-in TwiML App with signed webhooks.
      ...twimlEngineExtensions(),
    });
    sandboxUrl = sandbox.url;
    pageServer = await startPageServer(await bundleVoiceSdk());
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    alice = (await agent('alice', token('alice'))).page;
    bob = (await agent('bob', token('bob'))).page;
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
    await Promise.all([alice, bob].map((p) => p.evaluate('t.device.disconnectAll(); t.reset()')));
  });

  it('registers two clients', async () => {
    const registrations = await until('two registrations', async () => {
      const r = sandbox.signaling.registrations();
      return r['alice'] === 1 && r['bob'] === 1 ? r : undefined;
    });
    expect(registrations).toEqual({ alice: 1, bob: 1 });
  });

  it('calls alice → bob: rings, is accepted, audio flows both ways, hangs up on both sides', async () => {
    twimlApp.dialTo = { identity: 'bob', timeout: 30, parameters: { ticket: 'T-42' } };
    await alice.evaluate(`t.connect({ To: 'client:bob', reason: 'browser test' })`);
    await has(bob, 'incoming');
    await has(alice, 'out:ringing');
    expect(await bob.evaluate(`t.incoming.customParameters.get('ticket')`)).toBe('T-42');
    const webhook = twimlApp.requests[twimlApp.requests.length - 1];
    expect(webhook.signatureValid).toBe(true);
    expect(webhook.params).toMatchObject({ From: 'client:alice', To: 'client:bob', reason: 'browser test', Direction: 'inbound' });

    await bob.evaluate('t.incoming.accept()');
    await has(alice, 'out:accept');
    const [aliceHears, bobHears] = await Promise.all([audioFlowing(alice), audioFlowing(bob)]);
    expect(aliceHears.bytesReceived).toBeGreaterThan(0);
    expect(bobHears.audioLevel).toBeGreaterThan(0);

    await alice.evaluate('t.call.disconnect()');
    await has(bob, 'in:disconnect');
    const legs = sandbox.core.listLegs();
    expect(legs.slice(0, 2).map((l) => l.status)).toEqual(['completed', 'completed']);
  });

  it('connect({params}) adds custom parameters but never replaces Twilio\'s own (From, CallSid)', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Hangup/>');
    await alice.evaluate(`t.connect({ To: 'client:bob', From: 'client:sam', CallSid: 'CAforged', Custom: 'x' })`);
    const webhook = await twimlApp.waitFor('the voice URL request with Custom=x', (r) => r.path === OUTGOING_PATH && r.params['Custom'] === 'x');
    expect(webhook.signatureValid).toBe(true);
    expect(webhook.params).toMatchObject({ From: 'client:alice', Caller: 'client:alice', Custom: 'x' });
    expect(sandbox.core.getLeg(webhook.params['CallSid'])?.from).toBe('client:alice');
    await has(alice, 'out:disconnect');
  });

  it('bob rejects: alice is disconnected and the child leg ends busy', async () => {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.reject()');
    await has(alice, 'out:disconnect');
    const child = sandbox.core.listLegs().find((l) => l.direction === 'outbound-dial');
    expect(child?.status).toBe('busy');
  });

  it('alice cancels while bob rings: bob gets cancel', async () => {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await alice.evaluate('t.call.disconnect()');
    await has(bob, 'in:cancel');
    const child = sandbox.core.listLegs().find((l) => l.direction === 'outbound-dial');
    expect(child?.status).toBe('canceled');
  });

  it('survives a dropped WebSocket mid-call (reconnecting → reconnected)', async () => {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming');
    await bob.evaluate('t.incoming.accept()');
    await has(alice, 'out:accept');
    expect(await postFault('drop-socket', { identity: 'alice' })).toEqual({ status: 200, body: { affected: 1 } });
    await has(alice, 'out:reconnecting');
    await has(alice, 'out:reconnected');
    await audioFlowing(bob);
    await alice.evaluate('t.call.disconnect()');
    await has(bob, 'in:disconnect');
  });

  it('an expired token gives 20104 and a forged one 20101, and register() does not hang', async () => {
    const expired = await agent('carol', expiredToken('carol'));
    expect(expired.state).toBe('failed:20104');
    const forged = await agent('mallory', token('mallory', { secret: 'not-the-real-secret-0123456789abcdef' }));
    expect(forged.state).toBe('failed:20101');
  });

  it('no answer within the <Dial> timeout requests the action URL with DialCallStatus=no-answer, signed', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Dial timeout="3" action="/after"><Client>bob</Client></Dial>');
    twimlApp.routes.set('/after', () => '<Hangup/>');
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await has(bob, 'incoming'); // bob is registered and rings, but never answers
    const after = await twimlApp.waitFor('the <Dial> action', (r) => r.path === '/after');
    expect(after.signatureValid).toBe(true);
    expect(twilio.validateRequest(SANDBOX_CREDENTIALS.authToken, after.signature, after.url, after.params)).toBe(true);
    expect(after.params).toMatchObject({ DialCallStatus: 'no-answer', From: 'client:alice', AccountSid: SANDBOX_CREDENTIALS.accountSid });
    await has(bob, 'in:cancel');
    await has(alice, 'out:disconnect');
  });

  it('<Record> keeps what the caller says (the fake microphone) as a WAV served at RecordingUrl', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Say>Leave a message</Say><Record maxLength="4" playBeep="true" action="/recorded"/>');
    twimlApp.routes.set('/recorded', () => '<Hangup/>');
    await alice.evaluate(`t.connect({ To: 'voicemail' })`);
    const recorded = await twimlApp.waitFor('the <Record> action', (r) => r.path === '/recorded');
    expect(recorded.signatureValid).toBe(true);
    expect(recorded.params['RecordingUrl']).toMatch(new RegExp(`^${sandboxUrl}/2010-04-01/Accounts/AC[0-9a-f]{32}/Recordings/RE[0-9a-f]{32}$`));
    await has(alice, 'out:disconnect');

    const wav = await getWithBasicAuth(recorded.params['RecordingUrl']);
    expect(wav.status).toBe(200);
    expect(wav.type).toBe('audio/x-wav');
    expect(wav.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.body.subarray(8, 12).toString('latin1')).toBe('WAVE');
    const audio = decodeWav(wav.body);
    // Chromium's fake microphone beeps: some 20 ms frames must be far above the engine's silence level.
    const frames: number[] = [];
    for (let i = 0; i + 160 <= audio.samples.length; i += 160) frames.push(rms(audio.samples.subarray(i, i + 160)));
    const loudFrames = frames.filter((level) => level >= 10 * SILENCE_RMS_THRESHOLD);
    expect(frames.length).toBeGreaterThan(0);
    expect(loudFrames.length).toBeGreaterThan(0);
    expect((await getWithBasicAuth(recorded.params['RecordingUrl'].replace(/RE[0-9a-f]{32}$/, `RE${'0'.repeat(32)}`))).status).toBe(404);
  });

  /** `<Gather>` for the digits alice sends; resolves with the Gather action's request and the logged signaling `dtmf` messages. */
  async function gatherDigits(sendWhen: 'media-connected' | 'at-once'): Promise<{ digits: unknown; signaledDtmf: number }> {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Gather action="/gathered" finishOnKey="#" timeout="10"><Say>Enter your code</Say></Gather><Hangup/>');
    twimlApp.routes.set('/gathered', () => '<Pause length="30"/>');
    const before = twimlApp.requests.length;
    await alice.evaluate(`t.connect({ To: 'ivr' })`);
    await has(alice, 'out:accept');
    const callSid = (await alice.evaluate('t.call.parameters.CallSid')) as string;
    if (sendWhen === 'media-connected') {
      // Chromium can insert RFC 4733 events only once DTLS is up; before that the SDK signals the digits.
      await alice.waitForFunction('window.peerConnections.at(-1).getSenders().find((s) => s.dtmf).dtmf.canInsertDTMF', undefined, { timeout: WAIT_MS });
    }
    await alice.evaluate(`t.call.sendDigits('12#')`);
    const gathered = await twimlApp.waitFor('the <Gather> action', (r, i) => i >= before && r.path === '/gathered');
    expect(gathered.signatureValid).toBe(true);
    // Hang up once media is up: werift keeps DTLS retransmission timers of a connection closed mid-handshake.
    await alice.waitForFunction(`window.peerConnections.at(-1).connectionState === 'connected'`, undefined, { timeout: WAIT_MS });
    await alice.evaluate('t.call.disconnect()');
    const signaledDtmf = logs.filter((l) => l['event'] === 'signal.in' && l['type'] === 'dtmf' && (l['payload'] as { callsid?: string }).callsid === callSid).length;
    return { digits: { Digits: gathered.params['Digits'], FinishedOnKey: gathered.params['FinishedOnKey'], CallSid: gathered.params['CallSid'] === callSid }, signaledDtmf };
  }

  it('<Gather> receives digits sent with call.sendDigits as RFC 4733 events from Chromium', async () => {
    expect(await gatherDigits('media-connected')).toEqual({ digits: { Digits: '12', FinishedOnKey: '#', CallSid: true }, signaledDtmf: 0 });
  });

  it('<Gather> receives digits the SDK signals (its fallback while the DTMF sender cannot insert yet)', async () => {
    expect(await gatherDigits('at-once')).toEqual({ digits: { Digits: '12', FinishedOnKey: '#', CallSid: true }, signaledDtmf: 1 });
  });

  it('a REST-created call (real twilio client) rings bob, runs its Url after he accepts, and posts status callbacks in order', async () => {
    twimlApp.routes.set('/rest-call', () => '<Say>Hello from the REST API</Say><Hangup/>');
    const client = twilio(SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, {
      accountSid: SANDBOX_CREDENTIALS.accountSid,
      ca: readFileSync(join(dataDir, 'tls', 'sandbox-cert.pem'), 'utf8'),
    });
    client.api.baseUrl = sandboxUrl;
    const call = await client.calls.create({
      to: 'client:bob',
      from: SANDBOX_NUMBERS.support,
      url: `${twimlApp.origin}/rest-call`,
      timeout: 20,
      statusCallback: `${twimlApp.origin}/rest-status`,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    await has(bob, 'incoming');
    expect(await bob.evaluate('t.incoming.parameters.From')).toBe(SANDBOX_NUMBERS.support);
    await bob.evaluate('t.incoming.accept()');
    const urlRequest = await twimlApp.waitFor('the REST call Url', (r) => r.path === '/rest-call');
    expect(urlRequest.signatureValid).toBe(true);
    expect(urlRequest.params).toMatchObject({ CallSid: call.sid, Direction: 'outbound-api', To: 'client:bob' });
    await has(bob, 'in:disconnect'); // <Say> then <Hangup/>
    await twimlApp.waitFor('the completed status callback', (r) => r.path === '/rest-status' && r.params['CallStatus'] === 'completed');
    const callbacks = twimlApp.requests.filter((r) => r.path === '/rest-status');
    expect(callbacks.map((r) => r.params['CallStatus'])).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(callbacks.every((r) => r.signatureValid && r.params['CallSid'] === call.sid)).toBe(true);
    const sequence = callbacks.map((r) => Number(r.params['SequenceNumber']));
    expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    expect(new Set(sequence).size).toBe(sequence.length);
    expect((await client.calls(call.sid).fetch()).status).toBe('completed');
  });

  it('made no request that left loopback', () => {
    expect(requestedUrls.length).toBeGreaterThan(0);
    const foreign = requestedUrls.filter((url) => !['127.0.0.1', 'localhost'].includes(new URL(url).hostname));
    expect(foreign).toEqual([]);
  });
});
