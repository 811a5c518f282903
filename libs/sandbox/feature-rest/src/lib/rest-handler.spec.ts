import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import twilio from 'twilio';
import {
  FakeClock, FakeLeg, FakeSpeech, FakeTelephonyCore, HttpWebhookClient, LiveCallRegistry, MemoryLogger,
  MemoryRecordingStore, StatusCallbackSender, tone, WebhookReceiver,
} from '@switchboard/sandbox-twiml-engine';
import { createSandboxRestHandler } from './rest-handler';
import { createInboundRouteHandler } from './inbound-route';

const AC = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const TOKEN = '8c514220389604b8a422ec618db0f784';
const SK = 'SK00cdd724914de01ca51374d7646ba801';
const SECRET = 'f153cb678b805108534ff485744050c0';

describe('sandbox REST subset, driven by the real twilio client', () => {
  const clock = new FakeClock();
  const core = new FakeTelephonyCore();
  const recordings = new MemoryRecordingStore();
  const receiver = new WebhookReceiver();
  const liveCalls = new LiveCallRegistry();
  const log = new MemoryLogger();
  let server: Server;
  let origin = '';
  let detachStatusCallbacks: () => void;

  /** The trick the API needs too: the twilio client's `api` domain has a settable base URL. */
  function clientFor(username: string, password: string, accountSid?: string) {
    const client = twilio(username, password, accountSid ? { accountSid } : {});
    client.api.baseUrl = origin;
    return client;
  }

  beforeAll(async () => {
    await receiver.start();
    const webhooks = new HttpWebhookClient({ authToken: () => TOKEN });
    const engine = {
      core, webhooks, clock, speech: new FakeSpeech(), audio: { fetch: jest.fn() }, recordings, log, liveCalls,
      publicOrigin: 'https://127.0.0.1:8443',
    };
    const statusCallbacks = new StatusCallbackSender({ webhooks, log });
    detachStatusCallbacks = statusCallbacks.attach(core);
    const rest = createSandboxRestHandler({
      config: { accounts: [{ accountSid: AC, authToken: TOKEN, apiKeys: [{ sid: SK, secret: SECRET }] }], publicOrigin: 'https://127.0.0.1:8443' },
      core, engine, statusCallbacks,
    });
    const inbound = createInboundRouteHandler({
      engine,
      numbers: (n) => (n === '+14155550100' ? { phoneNumber: n, accountSid: AC, voiceUrl: `${receiver.origin}/inbound` } : undefined),
    });
    server = createServer(async (req, res) => {
      if ((await rest(req, res)) || (await inbound(req, res))) return;
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    detachStatusCallbacks();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await receiver.stop();
  });

  it('creates a call, runs its Url on answer, reports its status, redirects and ends it', async () => {
    receiver.twiml('/outbound', '<Response><Pause length="600"/></Response>');
    receiver.twiml('/redirected', '<Response><Pause length="600"/></Response>');
    const client = clientFor(AC, TOKEN);
    const call = await client.calls.create({
      to: 'client:bob', from: '+14155550199', url: `${receiver.origin}/outbound`, timeout: 20,
      statusCallback: `${receiver.origin}/status`, statusCallbackEvent: ['initiated', 'answered', 'completed'],
    });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call).toMatchObject({ status: 'queued', direction: 'outbound-api', to: 'client:bob', from: '+14155550199', apiVersion: '2010-04-01' });
    const originated = core.originated[0];
    expect(originated).toMatchObject({
      accountSid: AC, to: { kind: 'client', identity: 'bob' }, timeoutSeconds: 20,
      statusCallback: { url: `${receiver.origin}/status`, method: 'POST', events: ['initiated', 'answered', 'completed'] },
    });

    const leg = new FakeLeg(clock, call.sid, AC, '+14155550199', 'client:bob', 'outbound-api');
    core.emit({ callSid: call.sid, status: 'in-progress', at: clock.now() });
    originated.onAnswered(leg);
    await receiver.waitFor(2);
    const fetched = await client.calls(call.sid).fetch();
    expect(fetched.status).toBe('in-progress');
    const voice = receiver.received.find((request) => request.path === '/outbound');
    expect(voice?.params).toMatchObject({ CallSid: call.sid, CallStatus: 'in-progress', Direction: 'outbound-api' });
    const answered = receiver.received.find((request) => request.path === '/status');
    expect(answered?.params).toMatchObject({ CallSid: call.sid, CallStatus: 'in-progress', SequenceNumber: '0', To: 'client:bob' });

    await client.calls(call.sid).update({ url: `${receiver.origin}/redirected` });
    await receiver.waitFor(3);
    expect(receiver.received.map((request) => request.path)).toContain('/redirected');

    await client.calls(call.sid).update({ status: 'completed' });
    expect(leg.ended.aborted).toBe(true);
  });

  it('accepts an API key of the account, and refuses wrong credentials with 20003', async () => {
    const keyClient = clientFor(SK, SECRET, AC);
    const created = await keyClient.calls.create({ to: '+14155550111', from: '+14155550199', url: `${receiver.origin}/outbound` });
    expect(created.to).toBe('+14155550111');
    await expect(clientFor(AC, '0'.repeat(32)).calls(created.sid).fetch()).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it.each([
    ['From=%2B14155550199&Url=http%3A%2F%2F127.0.0.1%2Fx', 21201],
    ['To=%2B14155550111&Url=http%3A%2F%2F127.0.0.1%2Fx', 21603],
  ])('refuses the form %s (the client itself insists on To and From) with Twilio error %i', async (form, code) => {
    const response = await fetch(`${origin}/2010-04-01/Accounts/${AC}/Calls.json`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${AC}:${TOKEN}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code, status: 400, more_info: `https://www.twilio.com/docs/errors/${code}` });
  });

  it.each([
    [{ to: 'not a number', from: '+14155550199', url: 'http://127.0.0.1/x' }, 21211],
    [{ to: '+14155550111', from: '+14155550199' }, 21205],
    [{ to: '+14155550111', from: '+14155550199', url: 'nope' }, 21205],
    [{ to: '+14155550111', from: '+14155550199', url: 'http://127.0.0.1/x', timeout: 601 }, 20001],
  ])('refuses bad parameters %j with Twilio error %i', async (params, code) => {
    await expect(clientFor(AC, TOKEN).calls.create(params as never)).rejects.toMatchObject({ status: 400, code });
  });

  it('answers 404 / 20404 for an unknown call, with Twilio\'s error JSON', async () => {
    const unknown = 'CA' + '0'.repeat(32);
    await expect(clientFor(AC, TOKEN).calls(unknown).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const path = `/2010-04-01/Accounts/${AC}/Calls/${unknown}.json`;
    const response = await fetch(`${origin}${path}`, { headers: { Authorization: `Basic ${Buffer.from(`${AC}:${TOKEN}`).toString('base64')}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 20404, message: `The requested resource ${path} was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404,
    });
  });

  it('serves Calls/{sid} for every leg the core reports (SDK callers, <Dial> children), as a reconciler fetches them', async () => {
    const parent = 'CA' + 'a'.repeat(32);
    const child = 'CA' + 'b'.repeat(32);
    const sdkCaller = { accountSid: AC, from: 'client:alice', to: '+14155550111', direction: 'inbound' as const };
    const dialed = { accountSid: AC, from: '+14155550100', to: 'client:bob', direction: 'outbound-dial' as const, parentCallSid: parent };
    const client = clientFor(AC, TOKEN);
    const ringingAt = clock.now();
    core.emit({ callSid: parent, status: 'ringing', at: ringingAt, details: sdkCaller });
    core.emit({ callSid: child, status: 'ringing', at: ringingAt, details: dialed });
    const ringing = await client.calls(parent).fetch();
    // Twilio: start_time is when the call was dialed; empty only before that.
    expect(ringing).toMatchObject({ status: 'ringing', from: 'client:alice', to: '+14155550111', direction: 'inbound', parentCallSid: null, endTime: null });
    expect(ringing.startTime).toEqual(new Date(Math.floor(ringingAt / 1000) * 1000));

    core.emit({ callSid: child, status: 'in-progress', at: ringingAt + 1000, details: dialed });
    core.emit({ callSid: child, status: 'completed', at: ringingAt + 61_000, durationSeconds: 60, details: dialed });
    core.emit({ callSid: parent, status: 'completed', at: ringingAt + 61_000, durationSeconds: 61, details: sdkCaller });
    const [finishedParent, finishedChild] = await Promise.all([client.calls(parent).fetch(), client.calls(child).fetch()]);
    expect(finishedParent).toMatchObject({ sid: parent, accountSid: AC, status: 'completed', duration: '61', apiVersion: '2010-04-01' });
    expect(finishedParent.endTime).toEqual(new Date(Math.floor((ringingAt + 61_000) / 1000) * 1000));
    expect(finishedChild).toMatchObject({ status: 'completed', parentCallSid: parent, direction: 'outbound-dial', duration: '60' });
    // A late event never reopens a finished call.
    core.emit({ callSid: parent, status: 'in-progress', at: ringingAt + 62_000, details: sdkCaller });
    expect((await client.calls(parent).fetch()).status).toBe('completed');
    // Another account's credentials do not see it.
    await expect(clientFor(SK, SECRET, 'AC' + '9'.repeat(32)).calls(parent).fetch()).rejects.toMatchObject({ status: 401 });
  });

  it('serves a recording\'s metadata to the client and its WAV at the bare RecordingUrl', async () => {
    const saved = await recordings.save({ accountSid: AC, callSid: 'CA' + '1'.repeat(32), audio: tone(440, 3000), dateCreated: clock.now() });
    const metadata = await clientFor(AC, TOKEN).recordings(saved.sid).fetch();
    expect(metadata).toMatchObject({ sid: saved.sid, callSid: 'CA' + '1'.repeat(32), duration: '3', channels: 1, source: 'RecordVerb' });
    const auth = `Basic ${Buffer.from(`${AC}:${TOKEN}`).toString('base64')}`;
    for (const suffix of ['', '.wav']) {
      const response = await fetch(`${origin}/2010-04-01/Accounts/${AC}/Recordings/${saved.sid}${suffix}`, { headers: { Authorization: auth } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/x-wav');
      expect(Buffer.from(await response.arrayBuffer()).subarray(0, 4).toString('ascii')).toBe('RIFF');
    }
    const anonymous = await fetch(`${origin}/2010-04-01/Accounts/${AC}/Recordings/${saved.sid}.wav`);
    expect(anonymous.status).toBe(401);
  });

  it('deletes a recording as Twilio does (204, then 20404), only for its own account', async () => {
    const saved = await recordings.save({ accountSid: AC, callSid: 'CA' + '2'.repeat(32), audio: tone(440, 1000), dateCreated: clock.now() });
    await expect(clientFor(SK, SECRET, 'AC' + '9'.repeat(32)).recordings(saved.sid).remove()).rejects.toMatchObject({ status: 401 });
    expect(await clientFor(AC, TOKEN).recordings(saved.sid).remove()).toBe(true);
    expect(recordings.saved.has(saved.sid)).toBe(false);
    await expect(clientFor(AC, TOKEN).recordings(saved.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(clientFor(AC, TOKEN).recordings(saved.sid).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('starts a simulated inbound call with POST /sandbox/inbound, and validates its body', async () => {
    receiver.twiml('/inbound', '<Response><Hangup/></Response>');
    const post = (body: unknown) =>
      fetch(`${origin}/sandbox/inbound`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post({ from: '+14155550150', to: '+14155550100', script: [{ wait: 1 }, { hangup: true }] });
    expect(ok.status).toBe(201);
    const { callSid } = (await ok.json()) as { callSid: string };
    expect(callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect((await post({ from: '+14155550150', to: '+14155550100', script: [{ dance: 1 }] })).status).toBe(400);
    expect((await post({ from: '+14155550150', to: '+19995550100' })).status).toBe(404);
    expect((await post({ to: '+14155550100' })).status).toBe(400);
  });
});
