#!/usr/bin/env node
// API throughput and latency beside a bare node:http ceiling doing the same signing, in the same run.
// Run after `npx nx build api`. Prints figures; asserts nothing. BENCH_DURATION (s, default 10),
// BENCH_CONNECTIONS (default 50).
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const twilio = require('twilio');

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const mainJs = join(root, 'dist/apps/api/main.js');
if (!existsSync(mainJs)) {
  console.error('dist/apps/api/main.js is missing: run `npx nx build api` first');
  process.exit(1);
}

// The sandbox credentials are committed fakes (libs/shared/sandbox-defaults); read them from the source.
const SANDBOX = {
  accountSid: 'ACefc1f744e4b84f26a34fcf28eeb49aac',
  authToken: '8c514220389604b8a422ec618db0f784',
  apiKeySid: 'SK00cdd724914de01ca51374d7646ba801',
  apiKeySecret: 'f153cb678b805108534ff485744050c0',
  twimlAppSid: 'AP608ed874e3dd2f3266eabf5051d47045',
};

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
});

async function waitFor(url, timeoutMs = 30_000) {
  const start = Date.now();
  for (;;) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    if (Date.now() - start > timeoutMs) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function load(title, options) {
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration, ...options }, (error, result) => {
      if (error) reject(error);
      else resolve({ title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors });
    });
  });
}

const port = await freePort();
const publicBaseUrl = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
const api = spawn(process.execPath, [mainJs], {
  cwd: root,
  env: {
    ...process.env, SWITCHBOARD_MODE: 'sandbox', PORT: String(port), PUBLIC_BASE_URL: publicBaseUrl, DATA_DIR: dataDir,
    STATIC_DIR: 'none', LOG_LEVEL: 'warn', VOICE_TOKEN_RATE_LIMIT: '100000', VOICE_TOKEN_RATE_WINDOW_SECONDS: '1',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const bare = fork(join(here, 'bare-server.mjs'), [], {
  env: { ...process.env, BENCH_SANDBOX: JSON.stringify({ SANDBOX }), BENCH_PUBLIC_BASE_URL: publicBaseUrl },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});

try {
  const barePort = await new Promise((resolve) => bare.once('message', (m) => resolve(m.port)));
  await waitFor(`${publicBaseUrl}/health/ready`);
  const login = await fetch(`${publicBaseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: 'alice', password: process.env.DEMO_PASSWORD ?? 'switchboard-demo' }),
  });
  const cookie = login.headers.getSetCookie()[0].split(';')[0];

  const params = { AccountSid: SANDBOX.accountSid, CallSid: `CA${'b'.repeat(32)}`, From: 'client:alice', To: 'client:bob', CallStatus: 'ringing' };
  const body = new URLSearchParams(params).toString();
  const signature = twilio.getExpectedTwilioSignature(SANDBOX.authToken, `${publicBaseUrl}/webhooks/voice/outgoing`, params);
  const webhook = { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } };

  // Warm-up, then measure each pair back to back.
  await load('warm-up', { url: `${publicBaseUrl}/api/voice/token`, method: 'POST', headers: { cookie }, duration: 2 });
  const results = [
    await load('API  POST /api/voice/token', { url: `${publicBaseUrl}/api/voice/token`, method: 'POST', headers: { cookie } }),
    await load('bare POST /token', { url: `http://127.0.0.1:${barePort}/token`, method: 'POST' }),
    await load('API  POST /webhooks/voice/outgoing', { url: `${publicBaseUrl}/webhooks/voice/outgoing`, ...webhook }),
    await load('bare POST /webhooks/voice/outgoing', { url: `http://127.0.0.1:${barePort}/webhooks/voice/outgoing`, ...webhook }),
  ];
  console.log(`\nAPI vs bare node:http (autocannon, ${connections} connections, ${duration} s each; same machine, same run)`);
  console.log('route'.padEnd(40), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx'.padStart(8));
  for (const r of results) {
    console.log(r.title.padEnd(40), r.rps.toFixed(0).padStart(9), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.non2xx + r.errors).padStart(8));
  }
  console.log(`ratio API/bare, token:   ${(results[0].rps / results[1].rps).toFixed(2)}`);
  console.log(`ratio API/bare, webhook: ${(results[2].rps / results[3].rps).toFixed(2)}`);
  console.log('(API token route includes the session lookup in the database; API webhook includes the call-record upsert.)');
} finally {
  api.kill('SIGTERM');
  bare.disconnect();
  await new Promise((r) => api.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
