#!/usr/bin/env node
// API throughput and latency beside a bare node:http ceiling doing the same signing and the same call-row write
// (same statement, driver and engine; bare-server.mjs), in the same run, each figure beside issue 15's target.
// Run after `npx nx build api`. Prints figures; asserts nothing. BENCH_DURATION (s, default 10),
// BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (default 3), BENCH_DATABASE_URL (Postgres; default embedded PGlite),
// BENCH_REDIS_URL (the API's REDIS_URL), BENCH_API_NODE_ARGS (node flags for the API), BENCH_ROUTES (some pairs only), BENCH_CPU_PROF (profile the API over the measured rounds; see PROFILE.md). Both servers get the same connections, the same warm-up and the same
// requests; CPU µs/request is the server process's own CPU time (Linux /proc) over the requests it answered.
// As in ../shared/research/performance.md, each server is pinned to core 0 and the load generator (this process)
// to core 1 when the machine has two cores and `taskset`; BENCH_PIN=0 turns that off.
import { fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { apiNodeArgs, createThrowawayDatabase, freePort, SANDBOX } from './common.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const twilio = require('twilio');

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
// BENCH_API_MAIN: another build of the API (e.g. a copy of an earlier one, for before/after in one session).
const mainJs = process.env.BENCH_API_MAIN ? resolve(process.env.BENCH_API_MAIN) : join(root, 'dist/apps/api/main.js');
if (!existsSync(mainJs)) {
  console.error('dist/apps/api/main.js is missing: run `npx nx build api` first');
  process.exit(1);
}

const pinning = process.env.BENCH_PIN !== '0' && availableParallelism() >= 2
  && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
/** Pins every thread of a process (and the threads it starts later) to one core; false when not pinning. */
const pin = (pid, core) => pinning && spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' }).status === 0;

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
// BENCH_DATABASE_URL (a Postgres server, e.g. postgres://postgres@127.0.0.1:5432/test): the API runs on a
// throwaway database created there, as in production, instead of the embedded engine.
const benchDatabase = process.env.BENCH_DATABASE_URL ? await createThrowawayDatabase(process.env.BENCH_DATABASE_URL) : null;
console.log(`database: ${benchDatabase ? `Postgres (${benchDatabase.url.replace(/\/\/[^@]*@/, '//')})` : 'embedded (PGlite)'}`);
// BENCH_CPU_PROF=<file.cpuprofile>: the API's CPU is profiled over the measured rounds (cpu-profile.cjs) and
// its top self-time frames are printed at the end (the file opens in Chrome DevTools or speedscope).
const cpuProfFile = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;
// BENCH_REDIS_URL (e.g. redis://127.0.0.1:6379): the API gets it as REDIS_URL, as several instances would, so on
// Postgres the token limit is counted in Redis (a key prefix of its own per run); the embedded engine counts in memory.
const benchRedis = process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL, REDIS_KEY_PREFIX: `sb-bench-${process.pid}:` } : {};
if (benchRedis.REDIS_URL) console.log(`redis: ${benchRedis.REDIS_URL.replace(/\/\/[^@]*@/, '//')}`);
const api = spawn(process.execPath, [...apiNodeArgs, ...(cpuProfFile ? ['-r', join(here, 'cpu-profile.cjs')] : []), mainJs], {
  cwd: root,
  env: {
    ...process.env, SWITCHBOARD_MODE: 'sandbox', PORT: String(port), PUBLIC_BASE_URL: publicBaseUrl, DATA_DIR: dataDir,
    ...(benchDatabase ? { DATABASE_URL: benchDatabase.url } : {}), ...benchRedis, ...(cpuProfFile ? { BENCH_CPU_PROF_FILE: cpuProfFile } : {}), STATIC_DIR: 'none', LOG_LEVEL: 'warn', VOICE_TOKEN_RATE_LIMIT: '100000', VOICE_TOKEN_RATE_WINDOW_SECONDS: '1',
  },
  stdio: [cpuProfFile ? 'pipe' : 'ignore', 'ignore', 'inherit'],
});
// The bare ceiling writes the same call row the API writes (bare-server.mjs): on the API's own Postgres
// database, or on a fresh PGlite data dir migrated with the API's migrations (bundled here from the source).
const bareDataDir = mkdtempSync(join(tmpdir(), 'sb-bench-bare-'));
const bareDb = benchDatabase ? { engine: 'postgres', url: benchDatabase.url } : { engine: 'pglite', dataDir: join(bareDataDir, 'pglite'), migrations: await bundleMigrations(bareDataDir) };
const bare = fork(join(here, 'bare-server.mjs'), [], {
  env: { ...process.env, BENCH_SANDBOX: JSON.stringify({ SANDBOX }), BENCH_PUBLIC_BASE_URL: publicBaseUrl, BENCH_BARE_DB: JSON.stringify(bareDb) },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});

try {
  const barePort = await new Promise((resolve) => bare.once('message', (m) => resolve(m.port)));
  await waitFor(`${publicBaseUrl}/health/ready`);
  const pinned = [pin(api.pid, 0), pin(bare.pid, 0), pin(process.pid, 1)].every(Boolean);
  console.log(pinned ? 'servers pinned to core 0, load generator to core 1' : 'not pinned (BENCH_PIN=0, one core, or no taskset)');
  const login = await fetch(`${publicBaseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: 'alice', password: process.env.DEMO_PASSWORD ?? 'switchboard-demo' }),
  });
  const cookie = login.headers.getSetCookie()[0].split(';')[0];

  // Every webhook request is a new call (its own CallSid, signed for it), as in a burst of real calls:
  // one CallSid repeated would measure retries of one call, which no real load looks like.
  let callCounter = 0;
  const signedWebhook = (path, extra) => ({
    method: 'POST',
    requests: [{
      setupRequest: (request) => {
        const callSid = `CA${(Date.now().toString(16) + (callCounter++).toString(16).padStart(8, '0')).padStart(32, '0')}`;
        const params = { AccountSid: SANDBOX.accountSid, CallSid: callSid, From: 'client:alice', To: 'client:bob', ...extra };
        const signature = twilio.getExpectedTwilioSignature(SANDBOX.authToken, `${publicBaseUrl}${path}`, params);
        return { ...request, body: new URLSearchParams(params).toString(), headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } };
      },
    }],
  });
  const outgoing = signedWebhook('/webhooks/voice/outgoing', { CallStatus: 'ringing' });
  // The dial ended answered: the API ends the call's phone-call cap grant (one UPDATE, no row matches for an
  // agent-to-agent call) and answers <Hangup/>; the bare server runs the same UPDATE.
  const dialComplete = signedWebhook('/webhooks/voice/dial-complete', { CallStatus: 'in-progress', DialCallStatus: 'completed' });
  const allPairs = [
    { name: 'token', api: ['API  POST /api/voice/token', { url: `${publicBaseUrl}/api/voice/token`, method: 'POST', headers: { cookie } }],
      bare: ['bare POST /token', { url: `http://127.0.0.1:${barePort}/token`, method: 'POST' }] },
    { name: 'webhook, writes the call', api: ['API  POST /webhooks/voice/outgoing', { url: `${publicBaseUrl}/webhooks/voice/outgoing`, ...outgoing }],
      bare: ['bare POST /webhooks/voice/outgoing', { url: `http://127.0.0.1:${barePort}/webhooks/voice/outgoing`, ...outgoing }] },
    { name: 'webhook, ends the cap grant', api: ['API  POST /webhooks/voice/dial-complete', { url: `${publicBaseUrl}/webhooks/voice/dial-complete`, ...dialComplete }],
      bare: ['bare POST /webhooks/voice/dial-complete', { url: `http://127.0.0.1:${barePort}/webhooks/voice/dial-complete`, ...dialComplete }] },
  ];
  // BENCH_ROUTES=token,outgoing,dial-complete (any of them): only those pairs, e.g. to profile one route.
  const only = process.env.BENCH_ROUTES?.split(',');
  const pairs = only ? allPairs.filter((pair) => only.some((name) => pair.api[0].endsWith(`/${name}`))) : allPairs;

  // The same warm-up for both servers and every route (JIT, pools, caches), then each pair back to back,
  // `rounds` times; the medians are printed (performance.md's method: 3 × 10 s, medians).
  for (const pair of pairs) {
    await load('warm-up', api.pid, { ...pair.api[1], duration: 2 });
    await load('warm-up', bare.pid, { ...pair.bare[1], duration: 2 });
  }
  const runs = new Map();
  if (cpuProfFile) { rmSync(cpuProfFile, { force: true }); api.stdin.write('start\n'); }
  for (let round = 0; round < rounds; round++) {
    for (const pair of pairs) {
      for (const [side, pid] of [['api', api.pid], ['bare', bare.pid]]) {
        const [title, options] = pair[side];
        const result = await load(title, pid, options);
        runs.set(title, [...(runs.get(title) ?? []), result]);
      }
    }
  }
  if (cpuProfFile) {
    api.stdin.write('stop\n');
    for (let waited = 0; !existsSync(cpuProfFile) && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  }
  const median = (values) => { const sorted = values.filter((v) => v !== null).sort((a, b) => a - b); return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null; };
  const summary = (title) => {
    const results = runs.get(title);
    return { title, rps: median(results.map((r) => r.rps)), p50: median(results.map((r) => r.p50)), p99: median(results.map((r) => r.p99)),
      failed: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0), cpuPerRequest: median(results.map((r) => r.cpuPerRequest)) };
  };
  console.log(`\nAPI vs bare node:http (autocannon, ${connections} connections, ${rounds} × ${duration} s each, medians; same machine, same run)`);
  console.log('route'.padEnd(42), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx'.padStart(8), 'CPU µs/req'.padStart(11));
  for (const pair of pairs) {
    for (const r of [summary(pair.api[0]), summary(pair.bare[0])]) {
      console.log(r.title.padEnd(42), r.rps.toFixed(0).padStart(9), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.failed).padStart(8),
        (r.cpuPerRequest === null ? 'n/a' : r.cpuPerRequest.toFixed(0)).padStart(11));
    }
  }
  // Issue 15's targets, beside each figure of this run: every API route at ≥ 0.7 of its bare ceiling
  // (compared within one run, since the machine is shared), and p99 ≤ 10 ms at 50 connections.
  const RATIO_TARGET = 0.7;
  const P99_TARGET_MS = 10;
  const verdict = (met) => (met ? 'met' : 'NOT met');
  console.log(`\n${'target'.padEnd(56)} ${'measured'.padStart(9)} ${'target'.padStart(9)}  verdict`);
  for (const pair of pairs) {
    const ratios = runs.get(pair.api[0]).map((r, i) => r.rps / runs.get(pair.bare[0])[i].rps);
    const ratio = median(ratios);
    console.log(`ratio API/bare req/s, ${pair.name}`.padEnd(56), ratio.toFixed(3).padStart(9), `≥ ${RATIO_TARGET}`.padStart(9), '', verdict(ratio >= RATIO_TARGET),
      ` (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
    const { p99 } = summary(pair.api[0]);
    console.log(`p99 ms at ${connections} connections, API ${pair.name}`.padEnd(56), String(p99).padStart(9), `≤ ${P99_TARGET_MS}`.padStart(9), '',
      connections === 50 ? verdict(p99 <= P99_TARGET_MS) : 'n/a (target is at 50 connections)');
  }
  console.log('(API token route includes the session check (cached 5 s) and rate limit; the outgoing webhook includes the caller/callee '
    + 'lookups (cached 5 s); on both servers each webhook commits the same write (same statement, driver, engine) before answering; the bare token writes nothing.)');
} finally {
  api.kill('SIGTERM');
  bare.disconnect();
  await new Promise((r) => api.once('exit', r));
  await new Promise((r) => (bare.exitCode !== null ? r() : bare.once('exit', r)));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(bareDataDir, { recursive: true, force: true });
  await benchDatabase?.drop();
}
if (cpuProfFile) printProfile(cpuProfFile);

/** The profile's top frames by self time, and self time by package: where the API's CPU goes. */
function printProfile(file) {
  if (!existsSync(file)) { console.log(`no CPU profile was written to ${file}`); return; }
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map();
  // Each sample is charged the time until the next one (timeDeltas), to the frame it landed in.
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const frames = new Map();
  const packages = new Map();
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url.replace(/^file:\/\//, '').replace(`${root}/`, '');
    const key = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`;
    frames.set(key, (frames.get(key) ?? 0) + micros);
    const pkg = where.startsWith('wasm://') ? '@electric-sql/pglite (wasm)' : where.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]
      ?? (where.startsWith('dist/') ? 'API bundle' : where.startsWith('node:') ? 'node core (JS)' : functionName.startsWith('(') ? functionName : 'native (V8/libuv)');
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
  }
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`);
  console.log(`\nCPU profile ${file} (${(total / 1e6).toFixed(1)} s sampled)\ntop self time by package:\n${top(packages, 12).join('\n')}`);
  console.log(`top self time by frame:\n${top(frames, 25).join('\n')}`);
}

/** The API's migrations (libs/api/data-access-db), bundled to an importable ES module in `dir`; returns its file URL. */
async function bundleMigrations(dir) {
  const { build } = require('esbuild');
  const outfile = join(dir, 'migrations.mjs');
  await build({ entryPoints: [join(root, 'libs/api/data-access-db/src/lib/migrations/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'error' });
  return pathToFileURL(outfile).href;
}
