import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_ROUTES, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { countRows, ENGINES, PUBLIC_BASE_URL, startApi, type TestApi } from './support';

const LOGIN = { identity: 'alice', password: 'switchboard-demo' };
const json = (headers: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...headers });

describe.each(ENGINES)('browser-facing protections (%s)', (engine) => {
  let api: TestApi;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'sb-static-'));
    writeFileSync(join(staticDir, 'index.html'), `<!doctype html><title>Switchboard</title><link rel="stylesheet" href="s.css" media="print" onload="this.media='all'">`);
    api = await startApi(engine, { STATIC_DIR: staticDir, HTTP_REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('serves the softphone with a CSP for sandbox mode, no framing, nosniff, HSTS on https, a referrer and a permissions policy', async () => {
    const page = await fetch(`${api.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    // Angular's onload handler that switches the stylesheet on, by hash only.
    expect(directives['script-src-attr']).toEqual(["'unsafe-hashes'", "'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='"]);
    expect(directives['connect-src']).toEqual(["'self'", 'https://127.0.0.1:8443', 'wss://127.0.0.1:8443']);
    expect(directives['media-src']).toEqual(expect.arrayContaining(['https://127.0.0.1:8443']));
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(csp).not.toContain('twilio.com');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('permissions-policy')).toMatch(/^microphone=\(self\), camera=\(\)/);
    // API answers carry them too.
    const live = await fetch(`${api.url}${API_ROUTES.health.live}`);
    expect(live.headers.get('x-content-type-options')).toBe('nosniff');
    expect(live.headers.get('content-security-policy')).toBe(csp);
  });

  it('refuses sign-in from a cross-site or same-site page, or another Origin, and allows its own pages and non-browser clients', async () => {
    const login = (headers: Record<string, string>) =>
      fetch(`${api.url}${API_ROUTES.auth.login}`, { method: 'POST', headers: json(headers), body: JSON.stringify(LOGIN) });
    const sessionsBefore = await countRows(api, 'sessions');
    const refused: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' }, // another port on the same host
      { origin: 'https://evil.test' },
      { origin: 'null' },
      { origin: `${PUBLIC_BASE_URL}:8443` },
      { origin: 'https://evil.test', 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of refused) {
      const response = await login(headers);
      expect({ headers, status: response.status }).toEqual({ headers, status: 403 });
      expect(await response.json()).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    }
    expect(await countRows(api, 'sessions')).toBe(sessionsBefore);
    const allowed: Array<Record<string, string>> = [{}, { 'sec-fetch-site': 'same-origin', origin: PUBLIC_BASE_URL }, { 'sec-fetch-site': 'none' }];
    for (const headers of allowed) {
      const response = await login(headers);
      expect({ headers, status: response.status }).toEqual({ headers, status: 200 });
    }
    // Reading is refused cross-site too (a GET carries no cookie cross-site, but nothing should answer one).
    expect((await fetch(`${api.url}${API_ROUTES.clientConfig}`, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
  });

  it('takes only JSON bodies on /api: a cross-site form (urlencoded, multipart, text) answers 415 JSON and signs nobody in', async () => {
    const sessionsBefore = await countRows(api, 'sessions');
    const bodies: Array<[string, string]> = [
      ['application/x-www-form-urlencoded', new URLSearchParams(LOGIN).toString()],
      ['text/plain', JSON.stringify(LOGIN)],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="identity"\r\n\r\nalice\r\n--x--\r\n`],
      ['application/json-patch+json', JSON.stringify(LOGIN)],
    ];
    for (const [contentType, body] of bodies) {
      const response = await fetch(`${api.url}${API_ROUTES.auth.login}`, { method: 'POST', headers: { 'content-type': contentType }, body });
      expect({ contentType, status: response.status }).toEqual({ contentType, status: 415 });
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    }
    const noType = await fetch(`${api.url}${API_ROUTES.auth.login}`, { method: 'POST', body: new Blob([JSON.stringify(LOGIN)]) });
    expect(noType.status).toBe(415);
    expect(await countRows(api, 'sessions')).toBe(sessionsBefore);
    // JSON with a charset is JSON; a bodiless POST needs no type.
    const withCharset = await fetch(`${api.url}${API_ROUTES.auth.login}`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(LOGIN) });
    expect(withCharset.status).toBe(200);
    expect((await fetch(`${api.url}${API_ROUTES.auth.logout}`, { method: 'POST' })).status).toBeLessThan(415);
  });

  it('keeps the webhooks on their form parser', async () => {
    // Unsigned, so refused by the signature check (403), not by the JSON-only rule (415).
    const response = await fetch(`${api.url}${WEBHOOK_ROUTES.status}`, { method: 'POST', body: new URLSearchParams({ CallSid: 'CA1' }) });
    expect(response.status).toBe(403);
  });

  it.each(['GET', 'PUT', 'DELETE'])('answers %s on a webhook route with 405 and Allow: POST, not 404', async (method) => {
    for (const route of Object.values(WEBHOOK_ROUTES)) {
      const response = await fetch(`${api.url}${route}`, { method });
      expect({ route, status: response.status, allow: response.headers.get('allow') }).toEqual({ route, status: 405, allow: 'POST' });
      expect(await response.json()).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
    }
    expect((await fetch(`${api.url}/webhooks/voice/nope`)).status).toBe(404);
  });

  it('answers 408 and closes the socket when a body arrives too slowly (HTTP_REQUEST_TIMEOUT_MS)', async () => {
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => { received += String(chunk); });
    socket.on('error', () => undefined); // a reset after the 408 is the point
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST ${API_ROUTES.auth.login} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"identity":`);
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });
});
