#!/usr/bin/env node
// Issue 15 items 2 and 3: the API's memory and cold start, on the embedded engine and on Postgres (BENCH_DATABASE_URL),
// beside a bare node:http token server measured in the same run. Run after `npx nx build api`. Prints; asserts nothing.
// Cold start: spawn dist/apps/api/main.js → sign in → POST /api/voice/token → the JWT verified (signature, issuer,
// identity, voice grant), on a fresh data dir (or a fresh Postgres database) and again on the existing one.
// Memory: RSS from /proc/<pid>/status; the V8 heap from the API's own `--trace-gc` lines on its stdout (no endpoint is
// added for it), idle (after BENCH_MEMORY_IDLE_SECONDS, default 5) and at the start, middle and end of a load of tokens
// and signed call webhooks (autocannon, BENCH_MEMORY_CONNECTIONS default 10, BENCH_MEMORY_SECONDS default 600).
import { spawn } from 'node:child_process';
import { createSecretKey } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiNodeArgs, createThrowawayDatabase, freePort, mainJs, root, rssMiB, SANDBOX, signIn, verifyVoiceToken } from './common.mjs';

const require = createRequire(import.meta.url);
const twilio = require('twilio');

// `memory.mjs --bare PORT`: the ceiling, a node:http server that signs the same token (no framework, sessions, database).
if (process.argv[2] === '--bare') {
  const secret = createSecretKey(Buffer.from(SANDBOX.apiKeySecret));
  createServer((request, response) => {
    request.resume();
    const token = new twilio.jwt.AccessToken(SANDBOX.accountSid, SANDBOX.apiKeySid, secret, { identity: 'alice', ttl: 3600 });
    token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: SANDBOX.twimlAppSid, incomingAllow: true }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: token.toJwt() }));
  }).listen(Number(process.argv[3]), '127.0.0.1');
} else {
  await main();
}

async function main() {
  if (!existsSync(mainJs)) {
    console.error('dist/apps/api/main.js is missing: run `npx nx build api` first');
    process.exit(1);
  }
  const autocannon = require('autocannon');
  const loadSeconds = Number(process.env.BENCH_MEMORY_SECONDS ?? 600);
  const idleSeconds = Number(process.env.BENCH_MEMORY_IDLE_SECONDS ?? 5);
  const connections = Number(process.env.BENCH_MEMORY_CONNECTIONS ?? 10);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const mib = (value) => (value === null || value === undefined ? 'n/a' : value.toFixed(0));
  const rows = [];
  const row = (figure, measured, target, ceiling) => rows.push({ figure, measured, target, ceiling });

  /** Starts a process, then times spawn → a verified token from `tokenOf(baseUrl)`. */
  async function coldStart(args, env, tokenOf, port) {
    const baseUrl = `http://127.0.0.1:${port}`;
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const heap = { line: null };
    child.stdout.setEncoding('utf8').on('data', (text) => {
      // --trace-gc: "[pid:addr] 1234 ms: Scavenge 40.1 (45.3) -> 39.0 (46.3) MB, …": the heap used after the collection.
      for (const match of text.matchAll(/(?:Scavenge|Mark-Compact|Mark-sweep)[^\n]*?-> ([\d.]+) \(([\d.]+)\) MB/g)) heap.line = { used: Number(match[1]), total: Number(match[2]) };
    });
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with code ${child.exitCode} before its first token`);
      try {
        await tokenOf(baseUrl);
        return { child, heap, coldMs: performance.now() - started, baseUrl };
      } catch (error) {
        // Not listening yet (fetch failed), or up but its database not yet (503): try again; anything else is wrong.
        const notYet = error.message === 'fetch failed' || / answered 503$/.test(error.message);
        if (!notYet || performance.now() - started > 180_000) { child.kill('SIGKILL'); throw error; }
        await sleep(10);
      }
    }
  }
  const stop = (child) => new Promise((resolve) => { if (child.exitCode !== null) resolve(); else { child.once('exit', resolve); child.kill('SIGTERM'); } });

  const apiToken = async (baseUrl) => {
    const cookie = await signIn(baseUrl);
    const response = await fetch(`${baseUrl}/api/voice/token`, { method: 'POST', headers: { cookie } });
    if (!response.ok) throw new Error(`token answered ${response.status}`);
    verifyVoiceToken((await response.json()).token, 'alice');
  };
  const bareToken = async (baseUrl) => {
    const response = await fetch(`${baseUrl}/token`, { method: 'POST' });
    verifyVoiceToken((await response.json()).token, 'alice');
  };

  // The ceiling first, on a quiet machine: start-to-first-token and idle RSS of a bare node:http process.
  const barePort = await freePort();
  const bareRun = await coldStart([fileURLToPath(import.meta.url), '--bare', String(barePort)], {}, bareToken, barePort);
  await sleep(idleSeconds * 1000);
  const bareIdle = rssMiB(bareRun.child.pid);
  await stop(bareRun.child);
  console.log(`bare node:http token server: first token ${bareRun.coldMs.toFixed(0)} ms after spawn, idle RSS ${mib(bareIdle)} MiB`);

  const engines = [{ name: 'embedded', url: null, nodeArgs: [] }];
  if (process.env.BENCH_DATABASE_URL) {
    engines.push({ name: 'Postgres', url: process.env.BENCH_DATABASE_URL, nodeArgs: [] });
    // The README's Postgres deployment command caps V8's young generation (4 MiB semi-spaces, Node 20's default is 16):
    // ~20 MiB less idle RSS for a few % more CPU per request (run.mjs with BENCH_API_NODE_ARGS weighs that).
    engines.push({ name: 'Postgres, semi-space 4', url: process.env.BENCH_DATABASE_URL, nodeArgs: ['--max-semi-space-size=4'] });
  }
  else console.log('Postgres: skipped (set BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test)');

  for (const engine of engines) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-memory-'));
    const database = engine.url ? await createThrowawayDatabase(engine.url, 'memory') : null;
    const port = await freePort();
    const env = {
      SWITCHBOARD_MODE: 'sandbox', PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, STATIC_DIR: 'none',
      LOG_LEVEL: 'warn', VOICE_TOKEN_RATE_LIMIT: '100000', VOICE_TOKEN_RATE_WINDOW_SECONDS: '1', ...(database ? { DATABASE_URL: database.url } : {}),
    };
    const args = ['--trace-gc', ...engine.nodeArgs, ...apiNodeArgs, mainJs];
    try {
      const fresh = await coldStart(args, env, apiToken, port);
      await sleep(idleSeconds * 1000);
      const freshIdle = rssMiB(fresh.child.pid);
      await stop(fresh.child);
      const run = await coldStart(args, env, apiToken, port);
      console.log(`${engine.name}: first token ${fresh.coldMs.toFixed(0)} ms (fresh ${database ? 'database' : 'data dir'}), ${run.coldMs.toFixed(0)} ms (existing)`);
      await sleep(idleSeconds * 1000);
      const idle = { rss: rssMiB(run.child.pid), heap: run.heap.line };

      // The load: a token and a new call's signed webhook in turn on every connection, for loadSeconds.
      const cookie = await signIn(run.baseUrl);
      let calls = 0;
      const webhookPath = '/webhooks/voice/outgoing';
      const samples = [];
      const sampler = setInterval(() => samples.push({ at: performance.now(), rss: rssMiB(run.child.pid), heap: run.heap.line }), 1000);
      const loadStart = performance.now();
      const result = await new Promise((resolve, reject) => autocannon({
        url: run.baseUrl, connections, duration: loadSeconds,
        requests: [
          { method: 'POST', path: '/api/voice/token', headers: { cookie } },
          {
            method: 'POST', path: webhookPath,
            setupRequest: (request) => {
              const callSid = `CA${(process.pid.toString(16) + (calls++).toString(16).padStart(12, '0')).padStart(32, '0')}`;
              const params = { AccountSid: SANDBOX.accountSid, CallSid: callSid, From: 'client:alice', To: 'client:bob', CallStatus: 'ringing' };
              const signature = twilio.getExpectedTwilioSignature(SANDBOX.authToken, `${run.baseUrl}${webhookPath}`, params);
              return { ...request, body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } };
            },
          },
        ],
      }, (error, value) => (error ? reject(error) : resolve(value))));
      clearInterval(sampler);
      samples.push({ at: performance.now(), rss: rssMiB(run.child.pid), heap: run.heap.line });
      const at = (fraction) => samples.reduce((best, s) => (Math.abs(s.at - loadStart - fraction * loadSeconds * 1000) < Math.abs(best.at - loadStart - fraction * loadSeconds * 1000) ? s : best));
      const peak = Math.max(idle.rss ?? 0, ...samples.map((s) => s.rss ?? 0));
      const heapText = (h) => (h ? `${h.used.toFixed(0)} / ${h.total.toFixed(0)}` : 'n/a');
      console.log(`${engine.name} load: ${result.requests.total} requests (${result.requests.average.toFixed(0)}/s, non-2xx ${result.non2xx}, errors ${result.errors}), ${loadSeconds} s, ${connections} connections`);
      console.log(`  ${'point'.padEnd(8)} ${'RSS MiB'.padStart(8)}  V8 heap used / total MiB (last GC)`);
      for (const [name, s] of [['idle', idle], ['start', at(1 / loadSeconds)], ['middle', at(0.5)], ['end', at(1)]]) {
        console.log(`  ${name.padEnd(8)} ${mib(s.rss).padStart(8)}  ${heapText(s.heap)}`);
      }
      await stop(run.child);

      const targets = engine.url ? { idle: 120, peak: 250 } : { idle: 200, end: 300 };
      row(`${engine.name}: first token, fresh`, `${fresh.coldMs.toFixed(0)} ms`, '≤ 1000 ms', `${bareRun.coldMs.toFixed(0)} ms`);
      row(`${engine.name}: first token, existing`, `${run.coldMs.toFixed(0)} ms`, '≤ 1000 ms', `${bareRun.coldMs.toFixed(0)} ms`);
      row(`${engine.name}: idle RSS (fresh start)`, `${mib(freshIdle)} MiB`, `≤ ${targets.idle} MiB`, `${mib(bareIdle)} MiB`);
      row(`${engine.name}: idle RSS (existing)`, `${mib(idle.rss)} MiB`, `≤ ${targets.idle} MiB`, `${mib(bareIdle)} MiB`);
      if (targets.end) row(`${engine.name}: RSS at the end of the load`, `${mib(at(1).rss)} MiB`, `≤ ${targets.end} MiB`, '');
      if (targets.peak) row(`${engine.name}: peak RSS`, `${mib(peak)} MiB`, `≤ ${targets.peak} MiB`, '');
      row(`${engine.name}: RSS growth middle → end`, `${(at(1).rss - at(0.5).rss).toFixed(0)} MiB`, 'none', '');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    }
  }

  console.log(`\n${'figure'.padEnd(52)} ${'measured'.padStart(10)} ${'target'.padStart(11)} ${'bare ceiling'.padStart(13)}`);
  for (const r of rows) console.log(`${r.figure.padEnd(52)} ${r.measured.padStart(10)} ${r.target.padStart(11)} ${r.ceiling.padStart(13)}`);
}
