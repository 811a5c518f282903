import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { decodeWav, SILENCE_RMS_THRESHOLD } from '@switchboard/sandbox-twiml-engine';
import type { RunningSandbox } from '../src/app/sandbox-app';
import { frameLevels, inboundAudioFlowing } from './support/audio-stats';
import {
  callAndAnswer,
  getWithBasicAuth,
  hangUp,
  hasEvent,
  postJson,
  resetDevices,
  sandboxToken,
  startBrowserHarness,
  until,
  WAIT_MS,
  type BrowserHarness,
  type TwimlAppStandIn,
} from './support/browser-harness';
import { OUTGOING_PATH } from './support/twiml-app-stand-in';

/** A JWT signed with the real secret but already expired (twilio's AccessToken refuses ttl ≤ 0). */
function expiredToken(identity: string): string {
  const [header, body] = sandboxToken(identity).split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const expired = Buffer.from(JSON.stringify({ ...claims, iat: now - 120, exp: now - 60 })).toString('base64url');
  const signature = createHmac('sha256', SANDBOX_CREDENTIALS.apiKeySecret).update(`${header}.${expired}`).digest('base64url');
  return `${header}.${expired}.${signature}`;
}

describe('the real Voice SDK against the sandbox', () => {
  let harness: BrowserHarness;
  let sandbox: RunningSandbox;
  let twimlApp: TwimlAppStandIn;
  let sandboxUrl = '';
  const requestedUrls: string[] = [];
  const logs: Record<string, unknown>[] = [];
  let alice: Page;
  let bob: Page;

  const agent = (jwt: string): Promise<{ page: Page; state: string }> =>
    harness.openDevice(jwt, { codecPreferences: ['opus', 'pcmu'], maxCallSignalingTimeoutMs: 30_000 }, (url) => requestedUrls.push(url));

  /** POST a fault hook over the sandbox's own (self-signed) HTTPS, on loopback. */
  const postFault = (name: string, body: unknown) => postJson(`${sandboxUrl}/sandbox/faults/${name}`, body);

  beforeAll(async () => {
    harness = await startBrowserHarness({
      dataDirPrefix: 'voice-sandbox-test-',
      faults: true,
      log: (event, fields) => {
        logs.push({ event, ...fields });
        if (process.env['SANDBOX_TEST_LOG']) process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
      },
    });
    ({ sandbox, twimlApp } = harness);
    sandboxUrl = sandbox.url;
    alice = (await agent(sandboxToken('alice'))).page;
    bob = (await agent(sandboxToken('bob'))).page;
  });

  afterAll(() => harness?.close());

  afterEach(async () => {
    twimlApp.routes.clear();
    await resetDevices([alice, bob]);
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
    await hasEvent(bob, 'incoming');
    await hasEvent(alice, 'out:ringing');
    expect(await bob.evaluate(`t.incoming.customParameters.get('ticket')`)).toBe('T-42');
    const webhook = twimlApp.requests[twimlApp.requests.length - 1];
    expect(webhook.signatureValid).toBe(true);
    expect(webhook.params).toMatchObject({ From: 'client:alice', To: 'client:bob', reason: 'browser test', Direction: 'inbound' });

    await bob.evaluate('t.incoming.accept()');
    await hasEvent(alice, 'out:accept');
    const [aliceHears, bobHears] = await Promise.all([inboundAudioFlowing(alice), inboundAudioFlowing(bob)]);
    expect(aliceHears.bytesReceived).toBeGreaterThan(0);
    expect(bobHears.audioLevel).toBeGreaterThan(0);

    await hangUp(alice, bob);
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
    await hasEvent(alice, 'out:disconnect');
  });

  it('bob rejects: alice is disconnected and the child leg ends busy', async () => {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await hasEvent(bob, 'incoming');
    await bob.evaluate('t.incoming.reject()');
    await hasEvent(alice, 'out:disconnect');
    const child = sandbox.core.listLegs().find((l) => l.direction === 'outbound-dial');
    expect(child?.status).toBe('busy');
  });

  it('alice cancels while bob rings: bob gets cancel', async () => {
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await hasEvent(bob, 'incoming');
    await alice.evaluate('t.call.disconnect()');
    await hasEvent(bob, 'in:cancel');
    const child = sandbox.core.listLegs().find((l) => l.direction === 'outbound-dial');
    expect(child?.status).toBe('canceled');
  });

  it('survives a dropped WebSocket mid-call (reconnecting → reconnected)', async () => {
    await callAndAnswer(alice, bob);
    expect(await postFault('drop-socket', { identity: 'alice' })).toEqual({ status: 200, body: { affected: 1 } });
    await hasEvent(alice, 'out:reconnecting');
    await hasEvent(alice, 'out:reconnected');
    await inboundAudioFlowing(bob);
    await hangUp(alice, bob);
  });

  it('an expired token gives 20104 and a forged one 20101, and register() does not hang', async () => {
    const expired = await agent(expiredToken('carol'));
    expect(expired.state).toBe('failed:20104');
    const forged = await agent(sandboxToken('mallory', { secret: 'not-the-real-secret-0123456789abcdef' }));
    expect(forged.state).toBe('failed:20101');
  });

  it('no answer within the <Dial> timeout requests the action URL with DialCallStatus=no-answer, signed', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Dial timeout="3" action="/after"><Client>bob</Client></Dial>');
    twimlApp.routes.set('/after', () => '<Hangup/>');
    await alice.evaluate(`t.connect({ To: 'client:bob' })`);
    await hasEvent(bob, 'incoming'); // bob is registered and rings, but never answers
    const after = await twimlApp.waitFor('the <Dial> action', (r) => r.path === '/after');
    expect(after.signatureValid).toBe(true);
    expect(twilio.validateRequest(SANDBOX_CREDENTIALS.authToken, after.signature, after.url, after.params)).toBe(true);
    expect(after.params).toMatchObject({ DialCallStatus: 'no-answer', From: 'client:alice', AccountSid: SANDBOX_CREDENTIALS.accountSid });
    await hasEvent(bob, 'in:cancel');
    await hasEvent(alice, 'out:disconnect');
  });

  it('<Record> keeps what the caller says (the fake microphone) as a WAV served at RecordingUrl', async () => {
    twimlApp.routes.set(OUTGOING_PATH, () => '<Say>Leave a message</Say><Record maxLength="4" playBeep="true" action="/recorded"/>');
    twimlApp.routes.set('/recorded', () => '<Hangup/>');
    await alice.evaluate(`t.connect({ To: 'voicemail' })`);
    const recorded = await twimlApp.waitFor('the <Record> action', (r) => r.path === '/recorded');
    expect(recorded.signatureValid).toBe(true);
    expect(recorded.params['RecordingUrl']).toMatch(new RegExp(`^${sandboxUrl}/2010-04-01/Accounts/AC[0-9a-f]{32}/Recordings/RE[0-9a-f]{32}$`));
    await hasEvent(alice, 'out:disconnect');

    const wav = await getWithBasicAuth(recorded.params['RecordingUrl']);
    expect(wav.status).toBe(200);
    expect(wav.type).toBe('audio/x-wav');
    expect(wav.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.body.subarray(8, 12).toString('latin1')).toBe('WAVE');
    const audio = decodeWav(wav.body);
    // Chromium's fake microphone beeps: some 20 ms frames must be far above the engine's silence level.
    const frames = frameLevels(audio.samples);
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
    await hasEvent(alice, 'out:accept');
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
      ca: readFileSync(join(harness.dataDir, 'tls', 'sandbox-cert.pem'), 'utf8'),
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
    await hasEvent(bob, 'incoming');
    expect(await bob.evaluate('t.incoming.parameters.From')).toBe(SANDBOX_NUMBERS.support);
    await bob.evaluate('t.incoming.accept()');
    const urlRequest = await twimlApp.waitFor('the REST call Url', (r) => r.path === '/rest-call');
    expect(urlRequest.signatureValid).toBe(true);
    expect(urlRequest.params).toMatchObject({ CallSid: call.sid, Direction: 'outbound-api', To: 'client:bob' });
    await hasEvent(bob, 'in:disconnect'); // <Say> then <Hangup/>
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
