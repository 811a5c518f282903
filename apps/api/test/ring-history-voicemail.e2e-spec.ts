import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_ROUTES, WEBHOOK_ROUTES, type CallRecord, type Page, type VoicemailList } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { callSid, ENGINES, parseTwiml, postWebhook, PUBLIC_BASE_URL, recordingSid, signIn, startApi, type TestApi } from './support';

const ACCOUNT = SANDBOX_CREDENTIALS.accountSid;
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(40, 7)]);
const RUNG_CALL_SID = callSid(0xabc);

interface RecordedRequest { method: string; path: string; authorization: string | undefined; form: URLSearchParams }

/** A stand-in for Twilio's REST API on loopback: records requests, answers Twilio-shaped JSON. */
async function startFakeRest(): Promise<{ server: Server; origin: string; requests: RecordedRequest[] }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, form: new URLSearchParams(body) });
      if (req.method === 'POST' && path === `/2010-04-01/Accounts/${ACCOUNT}/Calls.json`) {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: RUNG_CALL_SID, account_sid: ACCOUNT, status: 'queued', to: 'client:bob', from: SANDBOX_NUMBERS.callerId }));
      } else if (req.method === 'GET' && path.startsWith(`/2010-04-01/Accounts/${ACCOUNT}/Recordings/`)) {
        res.writeHead(200, { 'content-type': 'audio/x-wav', 'content-length': String(WAV.length) });
        res.end(WAV);
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"code":20404,"message":"not found","status":404}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe.each(ENGINES)('ring an agent, call history and voicemail (%s)', (engine) => {
  let api: TestApi;
  let rest: Awaited<ReturnType<typeof startFakeRest>>;
  let cookies: Record<'alice' | 'bob' | 'sam', string>;
  beforeAll(async () => {
    rest = await startFakeRest();
    api = await startApi(engine, { TWILIO_API_BASE_URL: rest.origin, DIAL_TIMEOUT_SECONDS: '12' });
    cookies = { alice: await signIn(api, 'alice'), bob: await signIn(api, 'bob'), sam: await signIn(api, 'sam') };
  });
  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => rest.server.close(resolve));
  });

  const ring = (cookie: string, body: unknown) => fetch(`${api.url}${API_ROUTES.calls.ringAgent}`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const get = (path: string, cookie: string) => fetch(`${api.url}${path}`, { headers: { cookie } });

  it('lets a supervisor ring an agent through the REST API with url, timeout and status callbacks', async () => {
    const response = await ring(cookies.sam, { identity: 'bob', reason: 'Escalation' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ callSid: RUNG_CALL_SID, status: 'queued' });
    const create = rest.requests.find((r) => r.method === 'POST');
    expect(create?.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${SANDBOX_CREDENTIALS.authToken}`).toString('base64')}`);
    expect(create?.form.get('To')).toBe('client:bob');
    expect(create?.form.get('From')).toBe(SANDBOX_NUMBERS.callerId);
    expect(create?.form.get('Url')).toBe(`${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.ringAgentAnswered}?supervisor=sam`);
    expect(create?.form.get('Timeout')).toBe('12'); // the configured ring time, as for every call to an agent
    expect(create?.form.get('StatusCallback')).toBe(`${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.status}`);
    expect(create?.form.getAll('StatusCallbackEvent')).toEqual(['initiated', 'ringing', 'answered', 'completed']);
  });

  it('refuses agents (403), unknown identities (404) and malformed bodies (400), without a REST call', async () => {
    const before = rest.requests.length;
    expect((await ring(cookies.alice, { identity: 'bob' })).status).toBe(403);
    const unknown = await ring(cookies.sam, { identity: 'nobody' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ field: 'identity' });
    for (const body of [{}, { identity: 'bo b' }, { identity: 'bob', reason: 'x'.repeat(201) }, { identity: ['bob'] }]) {
      const response = await ring(cookies.sam, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    expect(rest.requests.length).toBe(before);
  });

  it('connects the supervisor when the rung agent answers', async () => {
    const path = `${WEBHOOK_ROUTES.ringAgentAnswered}?supervisor=sam`;
    const twiml = parseTwiml(await (await postWebhook(api, path, { CallSid: RUNG_CALL_SID, AccountSid: ACCOUNT, From: SANDBOX_NUMBERS.callerId, To: 'client:bob' })).text());
    expect(twiml['Say']).toEqual(['Connecting you to Sam Supervisor.']);
    expect(twiml['Dial']['Client']).toEqual(['sam']);
  });

  it('shows the rung call, with its final status, in the history of both agents, newest first and paginated', async () => {
    for (const [CallStatus, SequenceNumber] of [['ringing', '1'], ['in-progress', '2'], ['completed', '3']]) {
      await postWebhook(api, WEBHOOK_ROUTES.status, { CallSid: RUNG_CALL_SID, AccountSid: ACCOUNT, CallStatus, SequenceNumber, CallDuration: '12' });
    }
    await postWebhook(api, WEBHOOK_ROUTES.outgoing, { CallSid: callSid(0xdef), AccountSid: ACCOUNT, From: 'client:bob', To: '+14155550111' });
    const page = await (await get(`${API_ROUTES.calls.list}?page=1&pageSize=1`, cookies.bob)).json() as Page<CallRecord>;
    expect(page).toMatchObject({ page: 1, pageSize: 1, total: 2 });
    expect(page.items.map((c) => c.callSid)).toEqual([callSid(0xdef)]);
    const second = await (await get(`${API_ROUTES.calls.list}?page=2&pageSize=1`, cookies.bob)).json() as Page<CallRecord>;
    expect(second.items[0]).toMatchObject({ callSid: RUNG_CALL_SID, status: 'completed', durationSeconds: 12, to: 'client:bob', direction: 'outbound' });
    const sams = await (await get(API_ROUTES.calls.list, cookies.sam)).json() as Page<CallRecord>;
    expect(sams.items.map((c) => c.callSid)).toEqual([RUNG_CALL_SID]);
    const alices = await (await get(API_ROUTES.calls.list, cookies.alice)).json() as Page<CallRecord>;
    expect(alices.total).toBe(0);
  });

  it('validates paging', async () => {
    for (const query of ['page=0', 'page=-1', 'page=abc', 'pageSize=0', 'pageSize=101', 'pageSize=1.5', 'page=1&extra=1']) {
      const response = await get(`${API_ROUTES.calls.list}?${query}`, cookies.bob);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect((await response.json() as { field?: string }).field).toEqual(expect.any(String));
    }
  });

  describe('voicemail', () => {
    let voicemailId: string;
    beforeAll(async () => {
      const sid = callSid(0x7777);
      await postWebhook(api, WEBHOOK_ROUTES.incoming, { CallSid: sid, AccountSid: ACCOUNT, From: SANDBOX_NUMBERS.customer, To: SANDBOX_NUMBERS.support });
      const response = await postWebhook(api, WEBHOOK_ROUTES.recordingStatus, {
        AccountSid: ACCOUNT, CallSid: sid, RecordingSid: recordingSid(0x7777), RecordingStatus: 'completed', RecordingDuration: '4',
        RecordingUrl: `${rest.origin}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${recordingSid(0x7777)}`,
      });
      expect(response.status).toBe(204);
    });

    it('lists voicemail for the members of the group that was called, and nobody else', async () => {
      const bobs = await (await get(API_ROUTES.voicemails.list, cookies.bob)).json() as VoicemailList;
      expect(bobs.unheard).toBe(1);
      expect(bobs.items).toEqual([expect.objectContaining({ recordingSid: recordingSid(0x7777), from: SANDBOX_NUMBERS.customer, calledTarget: 'group:support', durationSeconds: 4, heard: false })]);
      voicemailId = bobs.items[0].id;
      expect(await (await get(API_ROUTES.voicemails.list, cookies.alice)).json()).toEqual({ items: [], unheard: 0 });
    });

    it('streams the audio to its owner only, fetched with the account credentials', async () => {
      const response = await get(API_ROUTES.voicemails.audio(voicemailId), cookies.bob);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/x-wav');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(WAV);
      const fetched = rest.requests.filter((r) => r.method === 'GET');
      expect(fetched.at(-1)?.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${SANDBOX_CREDENTIALS.authToken}`).toString('base64')}`);
      const other = await get(API_ROUTES.voicemails.audio(voicemailId), cookies.alice);
      expect(other.status).toBe(404);
      expect((await get(API_ROUTES.voicemails.audio('00000000-0000-4000-8000-000000000000'), cookies.bob)).status).toBe(404);
      expect((await get(API_ROUTES.voicemails.audio('../../etc/passwd'), cookies.bob)).status).toBe(400);
    });

    it('marks voicemail heard for its owner; others get 404; bad bodies 400', async () => {
      const patch = (cookie: string, id: string, body: unknown) => fetch(`${api.url}${API_ROUTES.voicemails.one(id)}`, {
        method: 'PATCH', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      expect((await patch(cookies.alice, voicemailId, { heard: true })).status).toBe(404);
      for (const body of [{ heard: 'yes' }, {}, { heard: true, id: 'x' }]) {
        const response = await patch(cookies.bob, voicemailId, body);
        expect({ body, status: response.status }).toEqual({ body, status: 400 });
      }
      const ok = await patch(cookies.bob, voicemailId, { heard: true });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ id: voicemailId, heard: true });
      expect((await (await get(API_ROUTES.voicemails.list, cookies.bob)).json() as VoicemailList).unheard).toBe(0);
    });
  });
});
