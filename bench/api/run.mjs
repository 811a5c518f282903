#!/usr/bin/env node
// API throughput and latency beside a bare node:http ceiling doing the same signing, in the same run.
// Run after `npx nx build api`. Prints figures; asserts nothing. BENCH_DURATION (s, default 10),
// BENCH_CONNECTIONS (default 50). Both servers get the same connections, the same warm-up and the same
// requests; CPU µs/request is the server process's own CPU time (Linux /proc) over the requests it answered.
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** User + system CPU time of a process in µs, or null where /proc is not there. */
function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100); // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function load(title, pid, options) {
  return new Promise((resolve, reject) => {
    const cpuBefore = cpuMicros(pid);
    autocannon({ connections, duration, ...options }, (error, result) => {
      const cpuAfter = cpuMicros(pid);
      if (error) reject(error);
      else resolve({
        title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors,
        cpuPerRequest: cpuBefore === null || cpuAfter === null || result.requests.total === 0 ? null : (cpuAfter - cpuBefore) / result.requests.total,
      });
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

  // Every webhook request is a new call (its own CallSid, signed for it), as in a burst of real calls:
  // one CallSid repeated would measure retries of one call, which no real load looks like.
  let callCounter = 0;
  const webhook = {
    method: 'POST',
    requests: [{
      setupRequest: (request) => {
        const callSid = `CA${(Date.now().toString(16) + (callCounter++).toString(16).padStart(8, '0')).padStart(32, '0')}`;
        const params = { AccountSid: SANDBOX.accountSid, CallSid: callSid, From: 'client:alice', To: 'client:bob', CallStatus: 'ringing' };
        const signature = twilio.getExpectedTwilioSignature(SANDBOX.authToken, `${publicBaseUrl}/webhooks/voice/outgoing`, params);
        return { ...request, body: new URLSearchParams(params).toString(), headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } };
      },
    }],
  };
  const routes = {
    apiToken: { url: `${publicBaseUrl}/api/voice/token`, method: 'POST', headers: { cookie } },
    bareToken: { url: `http://127.0.0.1:${barePort}/token`, method: 'POST' },
    apiWebhook: { url: `${publicBaseUrl}/webhooks/voice/outgoing`, ...webhook },
    bareWebhook: { url: `http://127.0.0.1:${barePort}/webhooks/voice/outgoing`, ...webhook },
  };

  // The same warm-up for both servers and both routes (JIT, pools, caches), then each pair back to back.
  for (const [name, options] of Object.entries(routes)) await load('warm-up', name.startsWith('api') ? api.pid : bare.pid, { ...options, duration: 2 });
  const results = [
    await load('API  POST /api/voice/token', api.pid, routes.apiToken),
    await load('bare POST /token', bare.pid, routes.bareToken),
    await load('API  POST /webhooks/voice/outgoing', api.pid, routes.apiWebhook),
    await load('bare POST /webhooks/voice/outgoing', bare.pid, routes.bareWebhook),
  ];
  console.log(`\nAPI vs bare node:http (autocannon, ${connections} connections, ${duration} s each; same machine, same run)`);
  console.log('route'.padEnd(40), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx'.padStart(8), 'CPU µs/req'.padStart(11));
  for (const r of results) {
    console.log(r.title.padEnd(40), r.rps.toFixed(0).padStart(9), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.non2xx + r.errors).padStart(8),
      (r.cpuPerRequest === null ? 'n/a' : r.cpuPerRequest.toFixed(0)).padStart(11));
  }
  console.log(`ratio API/bare, token:   ${(results[0].rps / results[1].rps).toFixed(2)}`);
  console.log(`ratio API/bare, webhook: ${(results[2].rps / results[3].rps).toFixed(2)}`);
  console.log('(API token route includes the session check (cached 5 s) and rate limit; API webhook includes the caller/callee lookups (cached 5 s) and the call-record write, committed before the answer.)');
} finally {
  api.kill('SIGTERM');
  bare.disconnect();
  await new Promise((r) => api.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
