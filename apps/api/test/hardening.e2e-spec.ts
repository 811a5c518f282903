import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_ROUTES, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { callSid, countRows, ENGINES, postWebhook, signIn, startApi, type TestApi } from './support';

describe.each(ENGINES)('bad input, logs, docs and the served client (%s)', (engine) => {
  let api: TestApi;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'sb-static-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
    writeFileSync(join(staticDir, 'main-ABCDEFGH12.js'), 'console.log(1)');
    api = await startApi(engine, { STATIC_DIR: staticDir });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('answers 413 JSON (not 500) for bodies over 64 KB, on API and webhook routes, with no write', async () => {
    const before = await countRows(api, 'call_events');
    const big = 'x'.repeat(65 * 1024);
    const json = await fetch(`${api.url}${API_ROUTES.auth.login}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: 'alice', password: big }) });
    expect(json.status).toBe(413);
    expect(await json.json()).toMatchObject({ statusCode: 413 });
    const form = await postWebhook(api, WEBHOOK_ROUTES.status, { CallSid: callSid(1), CallStatus: 'completed', Padding: big });
    expect(form.status).toBe(413);
    expect(await countRows(api, 'call_events')).toBe(before);
  });

  it('answers 4xx, never 500, to garbage bodies and content types', async () => {
    const cookie = await signIn(api, 'alice');
    const cases: Array<[string, string, Record<string, string>, string | Uint8Array]> = [
      ['POST', API_ROUTES.auth.login, { 'content-type': 'application/json' }, '{"identity":'],
      ['POST', API_ROUTES.auth.login, { 'content-type': 'application/json' }, ''],
      ['POST', API_ROUTES.auth.login, { 'content-type': 'application/json' }, '[]'],
      ['POST', API_ROUTES.auth.login, { 'content-type': 'application/json' }, 'null'],
      ['POST', API_ROUTES.auth.login, { 'content-type': 'application/json' }, '{"__proto__":{"isAdmin":true},"identity":"alice"}'],
      ['POST', API_ROUTES.auth.login, { 'content-type': 'text/plain' }, 'identity=alice'],
      ['POST', API_ROUTES.auth.login, { 'content-type': 'multipart/form-data; boundary=x' }, '--x--'],
      ['POST', API_ROUTES.auth.login, { 'content-type': 'application/x-www-form-urlencoded' }, 'identity=%ZZ&password=%'],
      ['POST', API_ROUTES.auth.login, { 'content-type': 'application/json' }, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
      ['PATCH', API_ROUTES.voicemails.one('x'), { 'content-type': 'application/json', cookie }, '{"heard":true}'],
      ['POST', WEBHOOK_ROUTES.outgoing, { 'content-type': 'application/json' }, '{"To":"+14155550111"}'],
      ['POST', WEBHOOK_ROUTES.status, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'abc' }, 'a=%ZZ&__proto__=1&constructor=2'],
      ['POST', WEBHOOK_ROUTES.status, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'abc' }, Array.from({ length: 5000 }, (_, i) => `k${i}=v`).join('&')],
      ['POST', WEBHOOK_ROUTES.incoming, {}, ''],
    ];
    for (const [method, path, headers, body] of cases) {
      const response = await fetch(`${api.url}${path}`, { method, headers, body: body as BodyInit });
      expect({ path, body: String(body).slice(0, 40), ok: response.status >= 400 && response.status < 500 })
        .toEqual({ path, body: String(body).slice(0, 40), ok: true });
      expect(response.headers.get('content-type')).toMatch(/json/);
    }
    expect((await fetch(`${api.url}${API_ROUTES.health.live}`)).status).toBe(200);
  });

  it('keeps webhook TwiML valid for signed garbage: unicode, control characters, every shape of number', async () => {
    const weird = ['', ' ', '\u0000', '\u0007\u001b[31m', '😀😀', '\u202e1234', 'é', '<Say>x</Say>', '"\'&<>', '+'.repeat(300), '١٢٣', '+1 (415) 555-01١١', '%2B14155550111'];
    for (const value of weird) {
      for (const route of [WEBHOOK_ROUTES.outgoing, WEBHOOK_ROUTES.incoming, WEBHOOK_ROUTES.dialComplete]) {
        const response = await postWebhook(api, route, { CallSid: callSid(77), From: value, To: value, DialCallStatus: value });
        expect({ route, value, status: response.status }).toEqual({ route, value, status: 200 });
        const text = await response.text();
        expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?><Response>')).toBe(true);
        if (route === WEBHOOK_ROUTES.outgoing) expect(text).not.toContain('<Dial');
      }
    }
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await fetch(`${api.url}/api/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await fetch(`${api.url}/webhooks/voice/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('writes JSON logs with request ids and never a password, cookie, token or signature', async () => {
    const password = 'switchboard-demo';
    const cookie = await signIn(api, 'bob', password);
    const tokenResponse = await fetch(`${api.url}${API_ROUTES.voice.token}`, { method: 'POST', headers: { cookie, authorization: 'Bearer sekrit-bearer-value' } });
    const { token } = await tokenResponse.json() as { token: string };
    const signed = await postWebhook(api, WEBHOOK_ROUTES.voicemailComplete, { CallSid: callSid(5), AccountSid: SANDBOX_CREDENTIALS.accountSid });
    expect(signed.status).toBe(200);
    const logs = api.logLines.join('\n');
    for (const secret of [password, cookie.split('=')[1], token, 'sekrit-bearer-value', SANDBOX_CREDENTIALS.authToken, SANDBOX_CREDENTIALS.apiKeySecret]) {
      expect(logs).not.toContain(secret);
    }
    const parsed = api.logLines.map((line) => JSON.parse(line) as { reqId?: string; req?: { url: string; headers: Record<string, string> } });
    const tokenLine = parsed.find((line) => line.req?.url === API_ROUTES.voice.token);
    expect(tokenLine?.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokenLine?.req?.headers['cookie']).toBe('[redacted]');
    expect(tokenLine?.req?.headers['authorization']).toBe('[redacted]');
    const webhookLine = parsed.find((line) => line.req?.url === WEBHOOK_ROUTES.voicemailComplete);
    expect(webhookLine?.req?.headers['x-twilio-signature']).toBe('[redacted]');
  });

  it('publishes the OpenAPI document', async () => {
    const response = await fetch(`${api.url}${API_ROUTES.docs}-json`);
    expect(response.status).toBe(200);
    const document = await response.json() as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining([API_ROUTES.auth.login, API_ROUTES.voice.token, API_ROUTES.calls.list]));
  });

  it('serves the built client under / with immutable hashed files and an SPA fallback, leaving the API alone', async () => {
    const index = await fetch(`${api.url}/`, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Switchboard</title>');
    const deepLink = await fetch(`${api.url}/history/calls`, { headers: { accept: 'text/html' } });
    expect(deepLink.status).toBe(200);
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');
    const hashed = await fetch(`${api.url}/main-ABCDEFGH12.js`);
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const apiMiss = await fetch(`${api.url}/api/unknown`, { headers: { accept: 'text/html' } });
    expect(apiMiss.status).toBe(404);
    expect(apiMiss.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${api.url}${API_ROUTES.clientConfig}`)).headers.get('content-type')).toMatch(/json/);
  });
});
