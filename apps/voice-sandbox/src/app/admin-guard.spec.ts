import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from './config';
import { startSandbox, type RunningSandbox } from './sandbox-app';
import { twimlEngineExtensions } from './twiml-wiring';

interface Answer {
  readonly status: number;
  readonly body: { code?: number; message?: string; affected?: number } | null;
}

/** Like our tools (tools/stack, the e2e suite): Node's https, no Origin, no Sec-Fetch-Site. */
function send(sandbox: RunningSandbox, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${sandbox.url}${path}`, { method, rejectUnauthorized: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const DROP = JSON.stringify({ identity: 'nobody' });

describe('admin and fault routes refuse web pages (real HTTPS)', () => {
  let sandbox: RunningSandbox;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-admin-'));
    sandbox = await startSandbox({ ...defaultConfig(), port: 0, dataDir, faults: true }, { log: () => undefined, ...twimlEngineExtensions() });
  });

  afterAll(async () => {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps working for tools: JSON from Node without Origin', async () => {
    expect(await send(sandbox, 'POST', '/sandbox/faults/drop-socket', JSON_TYPE, DROP)).toEqual({ status: 200, body: { affected: 0 } });
    expect((await send(sandbox, 'GET', '/sandbox/calls', {})).status).toBe(200);
    const charset = await send(sandbox, 'POST', '/sandbox/faults/drop-socket', { 'content-type': 'application/json; charset=utf-8' }, DROP);
    expect(charset.status).toBe(200);
  });

  it('accepts the sandbox\'s own origin', async () => {
    const own = { ...JSON_TYPE, origin: sandbox.url, 'sec-fetch-site': 'same-origin' };
    expect((await send(sandbox, 'POST', '/sandbox/faults/drop-socket', own, DROP)).status).toBe(200);
  });

  it.each([
    ['another site\'s Origin', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['another port on loopback (same-site)', { origin: 'http://127.0.0.1:4200', 'sec-fetch-site': 'same-site' }],
  ])('answers 403 with what to do to %s', async (_, headers) => {
    for (const [method, path, body] of [
      ['POST', '/sandbox/faults/drop-socket', DROP],
      ['POST', '/sandbox/inbound', JSON.stringify({ from: '+14155550150', to: '+14155550100', script: [{ hangup: true }] })],
      ['GET', '/sandbox/calls', undefined],
    ] as const) {
      const answer = await send(sandbox, method, path, { ...JSON_TYPE, ...headers }, body);
      expect(answer.status).toBe(403);
      expect(answer.body?.message).toMatch(/Cross-site requests .* refused.*from a tool/);
    }
  });

  it.each([
    ['form-encoded', 'application/x-www-form-urlencoded', 'identity=nobody'],
    ['text/plain', 'text/plain', DROP],
    ['no content type', undefined, DROP],
  ])('answers 415 to a %s body and says to send JSON', async (_, type, body) => {
    for (const path of ['/sandbox/faults/drop-socket', '/sandbox/inbound']) {
      const answer = await send(sandbox, 'POST', path, type ? { 'content-type': type } : {}, body);
      expect(answer.status).toBe(415);
      expect(answer.body?.message).toContain('Content-Type: application/json');
    }
  });
});
