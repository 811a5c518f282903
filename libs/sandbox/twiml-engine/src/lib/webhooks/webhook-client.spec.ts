import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { createServer, Server, Socket } from 'node:net';
import { FakeClock } from '@switchboard/sandbox-model';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, MemoryLogger, MemoryRecordingStore } from '../testing/fakes';
import { WebhookReceiver } from '../testing/webhook-receiver';
import { runTwiml } from '../engine/run-twiml';
import { HttpAudioFetcher } from '../audio/audio-fetcher';
import { HttpWebhookClient } from './webhook-client';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const TOKEN = '8c514220389604b8a422ec618db0f784';

describe('HttpWebhookClient (real HTTP on 127.0.0.1)', () => {
  const receiver = new WebhookReceiver();
  const client = new HttpWebhookClient({ authToken: (sid) => (sid === ACCOUNT ? TOKEN : undefined), timeoutMs: 300 });
  let silentServer: Server;
  let silentPort = 0;
  const silentSockets: Socket[] = [];
  let flakyFailuresLeft = 0;

  beforeAll(async () => {
    await receiver.start();
    receiver
      .twiml('/voice', '<Response><Say>hi</Say></Response>')
      .on('/plain', (_request, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('<Response/>');
      })
      .on('/broken', (_request, res) => {
        res.writeHead(500, { 'Content-Type': 'text/xml' });
        res.end('<Response/>');
      })
      .on('/moved', (_request, res) => {
        res.writeHead(302, { Location: '/voice' });
        res.end();
      })
      .on('/flaky', (_request, res) => {
        flakyFailuresLeft -= 1;
        res.writeHead(flakyFailuresLeft >= 0 ? 503 : 200, { 'Content-Type': 'text/xml' });
        res.end('<Response/>');
      })
      .on('/loop', (_request, res) => {
        res.writeHead(302, { Location: '/loop' });
        res.end();
      });
    // Accepts connections and never answers: the webhook time budget must end the wait.
    silentServer = createServer((socket) => {
      silentSockets.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    silentPort = (silentServer.address() as { port: number }).port;
  });

  afterAll(async () => {
    await receiver.stop();
    for (const socket of silentSockets) socket.destroy();
    await new Promise((resolve) => silentServer.close(resolve));
  });

  it('POSTs form-encoded parameters with a signature twilio.validateRequest accepts', async () => {
    const url = `${receiver.origin}/voice?tenant=a%20b&x=1`;
    const params = { CallSid: 'CA1', From: 'client:alice', To: '+14155550111', Note: "it's ok & fine" };
    const result = await client.fetchTwiml({ url, method: 'POST', params, accountSid: ACCOUNT });
    expect(result).toEqual({ ok: true, body: '<Response><Say>hi</Say></Response>', url });
    const request = receiver.received.at(-1);
    expect(request?.params).toEqual(params);
    expect(request?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const signature = String(request?.headers['x-twilio-signature']);
    expect(validateRequest(TOKEN, signature, url, request?.params ?? {})).toBe(true);
    expect(validateRequest('0'.repeat(32), signature, url, request?.params ?? {})).toBe(false);
  });

  it('puts GET parameters in the query string and signs the full URL', async () => {
    const url = `${receiver.origin}/voice?x=1`;
    const result = await client.fetchTwiml({ url, method: 'GET', params: { CallSid: 'CA1', Digits: '12#' }, accountSid: ACCOUNT });
    expect(result.ok).toBe(true);
    const request = receiver.received.at(-1);
    expect(request?.method).toBe('GET');
    expect(request?.params).toEqual({ x: '1', CallSid: 'CA1', Digits: '12#' });
    expect(validateRequest(TOKEN, String(request?.headers['x-twilio-signature']), request?.url ?? '', {})).toBe(true);
  });

  it('reads the URL fragment as connection overrides: never sent, not signed, #rp=5xx&rc=2 retried with one idempotency token', async () => {
    flakyFailuresLeft = 2;
    const before = receiver.received.length;
    const url = `${receiver.origin}/flaky?x=1#rp=5xx&rc=2&ct=1000`;
    const result = await client.fetchTwiml({ url, method: 'POST', params: { CallSid: 'CA1' }, accountSid: ACCOUNT });
    expect(result).toEqual({ ok: true, body: '<Response/>', url: `${receiver.origin}/flaky?x=1` });
    const attempts = receiver.received.slice(before);
    expect(attempts.map((r) => r.url)).toEqual(Array(3).fill(`${receiver.origin}/flaky?x=1`));
    expect(new Set(attempts.map((r) => r.headers['i-twilio-idempotency-token'])).size).toBe(1);
    const signature = String(attempts[2].headers['x-twilio-signature']);
    expect(validateRequest(TOKEN, signature, `${receiver.origin}/flaky?x=1`, { CallSid: 'CA1' })).toBe(true);
  });

  it('does not retry a 5xx without #rp naming it (Twilio\'s default policy is ct,rt)', async () => {
    flakyFailuresLeft = 1;
    const before = receiver.received.length;
    const result = await client.fetchTwiml({ url: `${receiver.origin}/flaky`, method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(result).toMatchObject({ ok: false, code: 11200 });
    expect(receiver.received.length).toBe(before + 1);
  });

  it('fails an unknown #rp with 11243 and sends nothing', async () => {
    const before = receiver.received.length;
    const result = await client.fetchTwiml({ url: `${receiver.origin}/voice#rp=maybe`, method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(result).toMatchObject({ ok: false, code: 11243 });
    expect(receiver.received.length).toBe(before);
  });

  it('follows an HTTP redirect on loopback', async () => {
    const result = await client.fetchTwiml({ url: `${receiver.origin}/moved`, method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(result).toMatchObject({ ok: true, url: `${receiver.origin}/voice` });
  });

  it.each([
    ['a non-2xx answer', '/broken', 11200],
    ['a non-XML content type', '/plain', 12300],
    ['endless HTTP redirects', '/loop', 11215],
  ])('fails %s with the Twilio code', async (_name, path, code) => {
    const result = await client.fetchTwiml({ url: `${receiver.origin}${path}`, method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(result).toMatchObject({ ok: false, code });
  });

  it('gives up with 11205 when the server never answers within the budget', async () => {
    const result = await client.fetchTwiml({ url: `http://127.0.0.1:${silentPort}/voice`, method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(result).toMatchObject({ ok: false, code: 11205 });
  });

  it('fails with 11205 when nothing listens', async () => {
    const result = await client.fetchTwiml({ url: 'http://127.0.0.1:1/voice', method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(result).toMatchObject({ ok: false, code: 11205 });
  });

  it.each(['http://example.com/voice', 'http://10.0.0.1/voice', 'ftp://127.0.0.1/voice', 'nonsense'])(
    'refuses %s with 11210 and sends nothing',
    async (url) => {
      const before = receiver.received.length;
      const result = await client.fetchTwiml({ url, method: 'POST', params: {}, accountSid: ACCOUNT });
      expect(result).toMatchObject({ ok: false, code: 11210 });
      expect(receiver.received.length).toBe(before);
    },
  );

  it('reports a failing status callback receiver as warning 15003', async () => {
    const result = await client.notify({ url: `${receiver.origin}/broken`, method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(result).toMatchObject({ ok: false, code: 15003 });
  });

  it('runs a document fetched over real HTTP, end to end', async () => {
    const clock = new FakeClock();
    const leg = new FakeLeg(clock);
    receiver.twiml('/ivr', '<Response><Gather numDigits="1" action="/choice"><Say>press</Say></Gather></Response>');
    receiver.twiml('/choice', '<Response><Say>thanks</Say><Hangup/></Response>');
    const speech = new FakeSpeech();
    const running = runTwiml(leg, { url: `${receiver.origin}/ivr` }, {
      core: new FakeTelephonyCore(), webhooks: client, clock, speech, audio: new HttpAudioFetcher(),
      recordings: new MemoryRecordingStore(), log: new MemoryLogger(), publicOrigin: 'https://127.0.0.1:8443',
    });
    const before = receiver.received.length;
    await receiver.waitFor(before + 1);
    await clock.advance(50);
    leg.pressDigits('7');
    const result = await clock.runUntilSettled(running);
    expect(result.outcome).toBe('hung-up');
    expect(speech.spoken).toEqual(['press', 'thanks']);
    const choice = receiver.received.at(-1);
    expect(choice?.params['Digits']).toBe('7');
    expect(validateRequest(TOKEN, String(choice?.headers['x-twilio-signature']), choice?.url ?? '', choice?.params ?? {})).toBe(true);
  });
});
