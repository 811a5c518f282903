import { API_ROUTES, SESSION_COOKIE } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ENGINES, signIn, startApi, type TestApi } from './support';

describe.each(ENGINES)('sign-in, sessions and voice tokens (%s)', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(engine, { VOICE_TOKEN_TTL_SECONDS: '900', VOICE_TOKEN_RATE_LIMIT: '5', VOICE_TOKEN_RATE_WINDOW_SECONDS: '60' });
  });
  afterAll(() => api?.close());

  const post = (path: string, cookie?: string, body?: unknown) => fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  it('answers 401 on every agent route without a session', async () => {
    for (const [method, path] of [
      ['POST', API_ROUTES.voice.token], ['GET', API_ROUTES.auth.me], ['GET', API_ROUTES.calls.list],
      ['GET', API_ROUTES.voicemails.list], ['GET', API_ROUTES.agents], ['POST', API_ROUTES.calls.ringAgent],
    ] as const) {
      const response = await fetch(`${api.url}${path}`, { method });
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(await response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it('answers 401 for a forged session cookie', async () => {
    const response = await fetch(`${api.url}${API_ROUTES.auth.me}`, { headers: { cookie: `${api.config.sessions.cookieName}=${'A'.repeat(43)}` } });
    expect(response.status).toBe(401);
  });

  it('sets an httpOnly SameSite=Strict __Host- session cookie and knows the agent', async () => {
    const response = await post(API_ROUTES.auth.login, undefined, { identity: 'alice', password: 'switchboard-demo' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      identity: 'alice', displayName: 'Alice Agent', role: 'agent',
      voiceToken: { token: expect.any(String), identity: 'alice', expiresAt: expect.any(String) },
    });
    // PUBLIC_BASE_URL is https: the __Host- prefix binds the cookie to this origin (Secure, Path=/, no Domain).
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`__Host-${SESSION_COOKIE}=`)) ?? '';
    expect(cookie).toMatch(/Path=\/(;|$)/);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Secure/i); // PUBLIC_BASE_URL is https
    const me = await fetch(`${api.url}${API_ROUTES.auth.me}`, { headers: { cookie: cookie.split(';')[0] } });
    expect(await me.json()).toEqual({ identity: 'alice', displayName: 'Alice Agent', role: 'agent' });
  });

  it('refuses a wrong password or an unknown agent with the same 401, carrying no voice token', async () => {
    const wrong = await post(API_ROUTES.auth.login, undefined, { identity: 'alice', password: 'not-the-password' });
    const unknown = await post(API_ROUTES.auth.login, undefined, { identity: 'mallory', password: 'switchboard-demo' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [wrongText, unknownText] = [await wrong.text(), await unknown.text()];
    expect(JSON.parse(wrongText)).toEqual(JSON.parse(unknownText));
    expect(JSON.parse(wrongText)).not.toHaveProperty('voiceToken');
    expect(wrongText).not.toMatch(/eyJ/); // no JWT anywhere in the answer
  });

  it("carries the session's first voice token in the sign-in answer, signed like the token route's", async () => {
    const response = await post(API_ROUTES.auth.login, undefined, { identity: 'bob', password: 'switchboard-demo' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json() as { identity: string; voiceToken: { token: string; identity: string; expiresAt: string } };
    const cookie = (response.headers.getSetCookie().find((c) => c.startsWith(`${api.config.sessions.cookieName}=`)) ?? '').split(';')[0];
    const me = await (await fetch(`${api.url}${API_ROUTES.auth.me}`, { headers: { cookie } })).json() as { identity: string };
    // The identity is the session's (GET /me's), and /me itself carries no token.
    expect(body.voiceToken.identity).toBe(me.identity);
    expect(me).not.toHaveProperty('voiceToken');
    expect(hs256Verifies(body.voiceToken.token, SANDBOX_CREDENTIALS.apiKeySecret)).toBe(true);
    expect(hs256Verifies(body.voiceToken.token, SANDBOX_CREDENTIALS.authToken)).toBe(false);
    const claims = JSON.parse(Buffer.from(body.voiceToken.token.split('.')[1], 'base64url').toString());
    expect(claims['iss']).toBe(SANDBOX_CREDENTIALS.apiKeySid);
    expect(claims['sub']).toBe(SANDBOX_CREDENTIALS.accountSid);
    expect(claims['grants']).toEqual({
      identity: me.identity,
      voice: { incoming: { allow: true }, outgoing: { application_sid: SANDBOX_CREDENTIALS.twimlAppSid } },
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    expect(new Date(body.voiceToken.expiresAt).getTime()).toBe((claims.exp as number) * 1000);
  });

  it("does not count the sign-in answer's token against the token route's per-agent limit", async () => {
    // Its own instance with a limit of 2, so the other tests' token requests do not count here.
    const limited = await startApi(engine, { VOICE_TOKEN_RATE_LIMIT: '2', VOICE_TOKEN_RATE_WINDOW_SECONDS: '60' });
    try {
      let cookie = '';
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${limited.url}${API_ROUTES.auth.login}`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: 'bob', password: 'switchboard-demo' }),
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toHaveProperty('voiceToken.identity', 'bob');
        cookie = (response.headers.getSetCookie().find((c) => c.startsWith(`${limited.config.sessions.cookieName}=`)) ?? '').split(';')[0];
      }
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.url}${API_ROUTES.voice.token}`, { method: 'POST', headers: { cookie } })).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });

  it('answers 400 naming the field for malformed sign-in bodies, never 500', async () => {
    const cases: Array<[unknown, string]> = [
      [{ identity: 'al ice', password: 'x' }, 'identity'],
      [{ identity: 'ali\u0000ce', password: 'x' }, 'identity'],
      [{ identity: '😀', password: 'x' }, 'identity'],
      [{ identity: 'a'.repeat(122), password: 'x' }, 'identity'],
      [{ identity: 42, password: 'x' }, 'identity'],
      [{ identity: 'alice' }, 'password'],
      [{ identity: 'alice', password: 'x'.repeat(1025) }, 'password'],
      [{ identity: 'alice', password: 'x', isAdmin: true }, 'isAdmin'],
    ];
    for (const [body, field] of cases) {
      const response = await post(API_ROUTES.auth.login, undefined, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(await response.json()).toMatchObject({ statusCode: 400, field });
    }
  });

  it('signs a token for the session identity with the configured grant and TTL, ignoring any identity sent', async () => {
    const cookie = await signIn(api, 'bob');
    const response = await fetch(`${api.url}${API_ROUTES.voice.token}?identity=alice`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ identity: 'alice' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json() as { token: string; identity: string; expiresAt: string };
    expect(body.identity).toBe('bob');
    // Verified with the plain secret: the KeyObject signing must stay byte-compatible.
    expect(hs256Verifies(body.token, SANDBOX_CREDENTIALS.apiKeySecret)).toBe(true);
    const [header, claims] = body.token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(claims['iss']).toBe(SANDBOX_CREDENTIALS.apiKeySid);
    expect(claims['sub']).toBe(SANDBOX_CREDENTIALS.accountSid);
    expect(claims['grants']).toEqual({
      identity: 'bob',
      voice: { incoming: { allow: true }, outgoing: { application_sid: SANDBOX_CREDENTIALS.twimlAppSid } },
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    expect(new Date(body.expiresAt).getTime()).toBe((claims.exp as number) * 1000);
    expect(hs256Verifies(body.token, SANDBOX_CREDENTIALS.authToken)).toBe(false);
  });

  it('rate-limits tokens per agent with 429 and Retry-After, without affecting other agents', async () => {
    const sam = await signIn(api, 'sam');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const response = await post(API_ROUTES.voice.token, sam);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect((await post(API_ROUTES.voice.token, await signIn(api, 'alice'))).status).toBe(200);
  });

  it('ends the session on logout', async () => {
    const cookie = await signIn(api, 'alice');
    expect((await post(API_ROUTES.auth.logout, cookie)).status).toBe(204);
    expect((await fetch(`${api.url}${API_ROUTES.auth.me}`, { headers: { cookie } })).status).toBe(401);
  });

  it('lists the other enabled agents for a signed-in agent', async () => {
    const response = await fetch(`${api.url}${API_ROUTES.agents}`, { headers: { cookie: await signIn(api, 'alice') } });
    expect(await response.json()).toEqual([
      { identity: 'bob', displayName: 'Bob Agent' },
      { identity: 'sam', displayName: 'Sam Supervisor' },
    ]);
  });

  it('serves the public client configuration without secrets', async () => {
    const response = await fetch(`${api.url}${API_ROUTES.clientConfig}`);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      mode: 'sandbox', sandboxSignalingHost: '127.0.0.1:8443', sandboxOrigin: 'https://127.0.0.1:8443',
      edge: ['roaming'], logLevel: 'warn', tokenRefreshMs: 60_000, lineTestMaxAgeHours: 24,
    });
    for (const secret of [SANDBOX_CREDENTIALS.authToken, SANDBOX_CREDENTIALS.apiKeySecret]) expect(text).not.toContain(secret);
  });

  it('answers health probes, with the database checked by readiness', async () => {
    expect(await (await fetch(`${api.url}${API_ROUTES.health.live}`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${api.url}${API_ROUTES.health.ready}`)).json()).toEqual({ status: 'ok', database: engine });
  });
});

/** HS256 check with the plain-text secret, independent of the signing code. */
function hs256Verifies(token: string, secret: string): boolean {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const actual = Buffer.from(signature, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
