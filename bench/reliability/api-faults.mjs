#!/usr/bin/env node
// The API's process and database fault figures (issue 10 item 9; /work/shared/research/reliability.md W10 and
// (b) #7): the built API (dist/apps/api/main.js) as its own process, a real Postgres, real HTTP with real Twilio
// signatures. Printed, never asserted; the exit code is non-zero only when the harness itself could not run.
//  1. Postgres kills every API connection (pg_terminate_backend) several times under a steady load of signed
//     webhooks: API alive, time to the first success after each kill, answers by status, no call lost;
//  2. the API SIGKILLed between writing a callback to its inbox and processing it (processing held by a lock on
//     `calls`), then restarted: the pending callback is processed and the record complete;
//  3. TwiML webhook latency with the database normal, stalled (a table lock) and down (connections refused):
//     p50/p95/p99 and the share answered by the deadline's safe TwiML;
//  4. the built entry started with bad environments: exits non-zero, names every problem at once, never listens.
// Each run makes its own database (reliability_<pid>) on BENCH_DATABASE_URL / TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test) and drops it after. Run after `npx nx build api`.
// --quick (default) or --long (longer load, more kills and samples).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { getExpectedTwilioSignature } = require('twilio');
const { Pool } = require('pg');

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(root, 'dist/apps/api/main.js');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LONG = process.argv.includes('--long');
const SETTINGS = LONG
  ? { loadSeconds: 60, workers: 8, kills: 10, sigkillRuns: 10, normalSamples: 1000, stalledSamples: 64, downSamples: 200 }
  : { loadSeconds: 12, workers: 6, kills: 4, sigkillRuns: 3, normalSamples: 300, stalledSamples: 24, downSamples: 60 };

// The voice sandbox's committed fake credentials (libs/shared/sandbox-defaults), as bench/api/run.mjs has them.
const AUTH_TOKEN = '8c514220389604b8a422ec618db0f784';
const ACCOUNT_SID = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const PUBLIC_BASE_URL = 'https://switchboard.test';
const SUPPORT = '+14155550100';
const CUSTOMER = '+14155550150';
const ROUTES = { incoming: '/webhooks/voice/incoming', status: '/webhooks/voice/status' };
const DEADLINE_MS = 5000; // the API's default TWIML_DEADLINE_MS, left as shipped
/** Like Twilio's retries of a callback answered 5xx, but until accepted: whether anything is lost is the question. */
const RETRY = { delayMs: 250, maxAttempts: 60 };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolvePort) => {
  const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolvePort(port)); });
});
const quantile = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const ms = (v) => (Number.isNaN(v) ? '-' : `${Math.round(v)} ms`);
let sidCounter = Date.now() % 1_000_000 * 1000;
const nextSid = () => `CA${(sidCounter++).toString(16).padStart(32, '0')}`;

function databaseUrl(name) {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The built API on a free port against `dbName`; resolves once /health/ready answers 200. */
async function startApi(dbName, dataDir) {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, NODE_OPTIONS: '', PORT: String(port), HOST: '127.0.0.1', SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL,
      DATABASE_URL: databaseUrl(dbName), DATA_DIR: dataDir, STATIC_DIR: 'none', LOG_LEVEL: 'warn',
      // Off so that nothing but the webhooks' own retries makes a record whole: "no call lost" is theirs to show.
      RECONCILE_INTERVAL_SECONDS: '0', RETENTION_SWEEP_INTERVAL_SECONDS: '0',
    },
  });
  const tail = [];
  const keep = (chunk) => { tail.push(String(chunk)); if (tail.length > 200) tail.shift(); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  while (child.exitCode === null && child.signalCode === null) {
    try { if ((await fetch(`${url}/health/ready`)).ok) break; } catch { /* not listening yet */ }
    if (performance.now() - started > 120_000) break;
    await sleep(100);
  }
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited during start-up:\n${tail.join('')}`);
  return {
    url, child, exited, startMs: performance.now() - started, output: () => tail.join(''),
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() { if (this.alive()) { child.kill('SIGTERM'); await exited; } },
  };
}

/** One signed webhook as Twilio sends it; status 0 when no HTTP answer came (connection refused or reset). */
async function post(api, path, params) {
  const signature = getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params);
  const sent = performance.now();
  try {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST', body: new URLSearchParams(params), headers: { 'X-Twilio-Signature': signature }, signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return { status: response.status, text, sent, done: performance.now() };
  } catch (error) {
    return { status: 0, text: String(error?.cause?.code ?? error), sent, done: performance.now() };
  }
}

/** The deadline's safe TwiML for an inbound call is voicemail whose callback URL names the dialled number. */
const isSafeTwiml = (text) => /<Record[^>]*recordingStatusCallback="[^"]*\?to=/.test(text);
const isTwiml = (text) => text.startsWith('<?xml') && /<Response[\s>]/.test(text) && /<\/Response>\s*$|<Response\/>/.test(text);
const incomingParams = (sid) => ({ CallSid: sid, AccountSid: ACCOUNT_SID, From: CUSTOMER, To: SUPPORT, CallStatus: 'ringing', Direction: 'inbound' });
const statusParams = (sid, status, sequence, extra = {}) => ({
  CallSid: sid, AccountSid: ACCOUNT_SID, From: CUSTOMER, To: SUPPORT, Direction: 'inbound', CallStatus: status, SequenceNumber: String(sequence), ...extra,
});
const CALL_DURATION = '17';
const STATUSES = [['ringing', {}], ['in-progress', {}], ['completed', { CallDuration: CALL_DURATION }]];

/** One inbound call's webhooks in order, each callback retried while it answers 5xx or nothing. */
async function runCall(api, tally) {
  const sid = nextSid();
  const call = { sid, incomingAnswer: null, callbacksAccepted: 0 };
  const incoming = await post(api, ROUTES.incoming, incomingParams(sid));
  tally.record('incoming', incoming);
  call.incomingAnswer = incoming.status === 200 && isTwiml(incoming.text) ? (isSafeTwiml(incoming.text) ? 'safe' : 'normal') : `http ${incoming.status}`;
  for (const [index, [status, extra]] of STATUSES.entries()) {
    for (let attempt = 1; attempt <= RETRY.maxAttempts; attempt++) {
      const answer = await post(api, ROUTES.status, statusParams(sid, status, index, extra));
      tally.record('status', answer);
      if (answer.status === 204) { call.callbacksAccepted++; break; }
      if (answer.status !== 0 && answer.status < 500) break; // a 4xx is not retried by Twilio either
      tally.retries++;
      await sleep(RETRY.delayMs);
    }
  }
  return call;
}

function newTally() {
  return {
    byStatus: new Map(), answers: [], retries: 0,
    record(route, answer) {
      const key = `${route} ${answer.status}${route === 'incoming' && answer.status === 200 && isSafeTwiml(answer.text) ? ' (safe TwiML)' : ''}`;
      this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
      const ok = route === 'incoming' ? answer.status === 200 && !isSafeTwiml(answer.text) : answer.status === 204;
      this.answers.push({ ...answer, ok });
    },
  };
}

/** Rows of the calls given, read through the test's own connection. */
async function recordsOf(admin, sids) {
  const { rows } = await admin.query(`
    SELECT c.call_sid, c.status, c.duration_seconds, c.from_number, c.to_number, c.voicemail_target,
      (SELECT count(*)::int FROM call_events e WHERE e.call_sid = c.call_sid) AS events,
      (SELECT count(*)::int FROM call_participants p WHERE p.call_sid = c.call_sid) AS participants
    FROM calls c WHERE c.call_sid = ANY($1)`, [sids]);
  return new Map(rows.map((row) => [row.call_sid, row]));
}

/** Complete: completed with its duration and numbers, every status event once; routed when its TwiML was. */
function isComplete(call, row) {
  if (!row) return false;
  const base = row.status === 'completed' && String(row.duration_seconds) === CALL_DURATION && row.from_number === CUSTOMER
    && row.to_number === SUPPORT && row.events === STATUSES.length;
  return call.incomingAnswer === 'normal' ? base && row.voicemail_target === 'group:support' && row.participants > 0 : base;
}

/** Every connection the API holds on its database (the bench's own connections call themselves otherwise). */
async function terminateBackends(admin, dbName) {
  const { rowCount } = await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name LIKE 'switchboard-api%'`, [dbName]);
  return rowCount ?? 0;
}

async function killsUnderLoad({ admin }, dbName, dataDir) {
  const api = await startApi(dbName, dataDir);
  const tally = newTally();
  const calls = [];
  const kills = [];
  const until = performance.now() + SETTINGS.loadSeconds * 1000;
  const worker = async () => { while (performance.now() < until && api.alive()) calls.push(await runCall(api, tally)); };
  const killer = async () => {
    const gap = (SETTINGS.loadSeconds * 1000) / (SETTINGS.kills + 1);
    for (let k = 0; k < SETTINGS.kills; k++) {
      await sleep(gap);
      const at = performance.now();
      kills.push({ at, terminated: await terminateBackends(admin, dbName) });
    }
  };
  await Promise.all([killer(), ...Array.from({ length: SETTINGS.workers }, worker)]);
  const alive = api.alive() && (await fetch(`${api.url}/health/live`).then((r) => r.ok, () => false));
  for (const kill of kills) {
    const first = tally.answers.filter((a) => a.ok && a.sent >= kill.at).sort((a, b) => a.done - b.done)[0];
    kill.recoveredMs = first ? first.done - kill.at : NaN;
  }
  const accepted = calls.filter((c) => c.callbacksAccepted === STATUSES.length && (c.incomingAnswer === 'normal' || c.incomingAnswer === 'safe'));
  const records = await recordsOf(admin, accepted.map((c) => c.sid));
  const lost = accepted.filter((c) => !isComplete(c, records.get(c.sid)));
  const { rows: [{ pending }] } = await admin.query('SELECT count(*)::int AS pending FROM callback_inbox WHERE processed_at IS NULL');
  await api.stop();
  return { alive, tally, calls, accepted, lost, kills, pending, output: api.output() };
}

/** The completed callback is stored, its processing waits on a lock on `calls`, the API is SIGKILLed, then restarted. */
async function sigkillBeforeProcessing({ admin }, dbName, dataDir) {
  const runs = [];
  for (let run = 0; run < SETTINGS.sigkillRuns; run++) {
    let api = await startApi(dbName, dataDir);
    const sid = nextSid();
    await post(api, ROUTES.incoming, incomingParams(sid));
    for (const [index, [status]] of STATUSES.slice(0, 2).entries()) await post(api, ROUTES.status, statusParams(sid, status, index));
    const locker = await admin.connect();
    const outcome = { sid };
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE calls IN ACCESS EXCLUSIVE MODE');
      const delivery = post(api, ROUTES.status, statusParams(sid, 'completed', 2, { CallDuration: CALL_DURATION }));
      const key = `status:${sid}:completed:2`;
      for (let i = 0; i < 400; i++) {
        const { rows } = await admin.query('SELECT processed_at FROM callback_inbox WHERE delivery_key = $1', [key]);
        if (rows.length > 0) break;
        await sleep(25);
      }
      api.child.kill('SIGKILL');
      await api.exited;
      outcome.deliveryAnswer = (await delivery).status;
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    const { rows: [row] } = await admin.query('SELECT processed_at FROM callback_inbox WHERE delivery_key = $1', [`status:${sid}:completed:2`]);
    outcome.pendingAfterKill = row !== undefined && row.processed_at === null;
    const restarted = performance.now();
    api = await startApi(dbName, dataDir);
    outcome.restartToReadyMs = performance.now() - restarted;
    const records = await recordsOf(admin, [sid]);
    outcome.complete = isComplete({ incomingAnswer: 'normal' }, records.get(sid));
    runs.push(outcome);
    await api.stop();
  }
  return runs;
}

async function latency(api, samples, concurrency) {
  const answers = [];
  let next = 0;
  const worker = async () => { while (next++ < samples) answers.push(await post(api, ROUTES.incoming, incomingParams(nextSid()))); };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const durations = answers.map((a) => a.done - a.sent);
  return {
    n: answers.length, p50: quantile(durations, 0.5), p95: quantile(durations, 0.95), p99: quantile(durations, 0.99), max: Math.max(...durations),
    safe: answers.filter((a) => a.status === 200 && isSafeTwiml(a.text)).length,
    wellFormed200: answers.filter((a) => a.status === 200 && isTwiml(a.text)).length,
    fiveXx: answers.filter((a) => a.status >= 500 || a.status === 0).length,
  };
}

async function latencies({ admin, server }, dbName, dataDir) {
  const api = await startApi(dbName, dataDir);
  const result = {};
  try {
    await latency(api, 20, 2); // warm-up
    result.normal = await latency(api, SETTINGS.normalSamples, 4);
    const locker = await admin.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE inbound_routes IN ACCESS EXCLUSIVE MODE');
      result.stalled = await latency(api, SETTINGS.stalledSamples, 8);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    await server.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS false`);
    try {
      await terminateBackends(admin, dbName);
      result.down = await latency(api, SETTINGS.downSamples, 4);
      const callback = await post(api, ROUTES.status, statusParams(nextSid(), 'ringing', 0));
      result.callbackWhileDown = callback.status;
    } finally {
      await server.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`);
    }
    result.afterDown = await latency(api, 20, 2);
    result.alive = api.alive();
  } finally {
    await api.stop();
  }
  return result;
}

/** Bad environments and how many problems each must name (apps/api/test/process-faults checks the wording). */
const BAD_ENVIRONMENTS = [
  ['TWILIO_* without SWITCHBOARD_MODE', { TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x'.repeat(32) }, 3],
  ['sandbox mode, real-looking credentials', { SWITCHBOARD_MODE: 'sandbox', TWILIO_API_KEY_SECRET: 'y'.repeat(32), TWILIO_API_BASE_URL: 'https://api.twilio.com' }, 2],
  ['twilio mode missing settings', { SWITCHBOARD_MODE: 'twilio', TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}` }, 5],
  ['several problems at once', { SWITCHBOARD_MODE: 'bogus', PUBLIC_BASE_URL: 'ftp://x', TWIML_DEADLINE_MS: '20000', DATABASE_URL: 'mysql://db/x', HOST: 'not a host' }, 5],
];

async function badEnvironments() {
  const results = [];
  for (const [name, env, expected] of BAD_ENVIRONMENTS) {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: 'memory://', STATIC_DIR: 'none', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const started = performance.now();
    const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
    let running = true;
    let listened = 0;
    void exited.then(() => { running = false; });
    while (running) {
      if (await fetch(`http://127.0.0.1:${port}/health/live`).then(() => true, () => false)) listened++;
      await sleep(20);
    }
    const exit = await exited;
    const named = stderr.split('\n').filter((line) => line.startsWith('  - ')).length;
    results.push({ name, exit, named, expected, listened, exitMs: performance.now() - started });
  }
  return results;
}

function printFigures({ load, sigkill, lat, env }, machine) {
  console.log(`\nAPI process and database faults (built API, Postgres ${machine.postgres}, loopback, real Twilio signatures) — ${LONG ? 'long' : 'quick'}`);
  console.log(`date ${machine.date}; machine: ${machine.cores} cores, ${machine.cpu}; load average ${machine.loadBefore} before, ${machine.loadAfter} after; Node ${process.version}`);
  const rows = [];
  const row = (figure, measured, target) => rows.push([figure, String(measured), target]);
  if (load) {
    const { tally, kills } = load;
    row('pg_terminate_backend × kills under load: API process stayed up', load.alive ? 'yes' : 'NO', 'yes');
    row('  connections terminated per kill', kills.map((k) => k.terminated).join(', '), '> 0');
    row('  kill → first success (p50 / max)', `${ms(quantile(kills.map((k) => k.recoveredMs), 0.5))} / ${ms(Math.max(...kills.map((k) => k.recoveredMs)))}`, 'seconds at most');
    row('  calls run / all webhooks accepted', `${load.calls.length} / ${load.accepted.length}`, 'all');
    row('  calls whose TwiML was the safe voicemail (a kill failed their start; no agents on the record)', load.calls.filter((c) => c.incomingAnswer === 'safe').length, 'few');
    for (const [key, count] of [...tally.byStatus.entries()].sort()) {
      row(`  answers: ${key}`, count, /^incoming 200|^status (204|503)$/.test(key) ? '' : 'none (not 200 TwiML / 204 / 503)');
    }
    row('  callback retries (after 503 or no answer)', tally.retries, 'any');
    row('  calls lost (accepted but record incomplete)', `${load.lost.length}${load.lost.length ? ` (${load.lost.slice(0, 3).map((c) => c.sid).join(', ')})` : ''}`, '0');
    row('  callbacks left pending in the inbox', load.pending, '0');
  }
  if (sigkill) {
    row('SIGKILL between inbox write and processing: runs', sigkill.length, '');
    row('  callback left pending by the kill', `${sigkill.filter((r) => r.pendingAfterKill).length}/${sigkill.length}`, `${sigkill.length}/${sigkill.length}`);
    row('  record complete after restart, no redelivery', `${sigkill.filter((r) => r.complete).length}/${sigkill.length}`, `${sigkill.length}/${sigkill.length}`);
    row('  restart → ready (pending processed first), p50', ms(quantile(sigkill.map((r) => r.restartToReadyMs), 0.5)), '');
  }
  if (lat) {
    for (const [name, figures] of [['normal DB', lat.normal], ['stalled DB (table lock)', lat.stalled], ['DB down (connections refused)', lat.down]]) {
      row(`incoming TwiML, ${name}: p50 / p95 / p99 / max`, `${ms(figures.p50)} / ${ms(figures.p95)} / ${ms(figures.p99)} / ${ms(figures.max)}`,
        name === 'normal DB' ? 'ms' : `≤ deadline ${DEADLINE_MS} ms + ε, < 15 s`);
      row(`  answered by the safe TwiML (deadline or failure path)`, `${figures.safe}/${figures.n} (${Math.round((100 * figures.safe) / figures.n)}%)`, name === 'normal DB' ? '0%' : '100%');
      row('  200 well-formed TwiML / 5xx or no answer', `${figures.wellFormed200}/${figures.n} / ${figures.fiveXx}`, `${figures.n}/${figures.n} / 0`);
    }
    row('status callback while the DB is down', lat.callbackWhileDown, '503');
    row('after the DB is back: safe TwiML share', `${lat.afterDown.safe}/${lat.afterDown.n}`, '0');
    row('API process alive after all of it', lat.alive ? 'yes' : 'NO', 'yes');
  }
  if (env) {
    for (const r of env) {
      row(`bad environment, ${r.name}: exit / problems named / listened`, `${r.exit.code ?? r.exit.signal} / ${r.named} of ${r.expected} / ${r.listened}`, `1 / ${r.expected} of ${r.expected} / 0`);
    }
    row('  spawn → exit, p50', ms(quantile(env.map((r) => r.exitMs), 0.5)), '');
  }
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length), i ? 8 : 6));
  console.log(`\n${'figure'.padEnd(widths[0])} | ${'measured'.padEnd(widths[1])} | target`);
  for (const [figure, measured, target] of rows) console.log(`${figure.padEnd(widths[0])} | ${measured.padEnd(widths[1])} | ${target}`);
}

async function main() {
  if (!existsSync(MAIN)) {
    console.error('dist/apps/api/main.js is missing: run `npx nx build api` first');
    process.exit(1);
  }
  const server = new Pool({ connectionString: SERVER_URL, max: 2 });
  const dbName = `reliability_${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-api-faults-'));
  const machine = {
    date: new Date().toISOString(), cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown',
    loadBefore: loadavg().map((l) => l.toFixed(2)).join(' '),
    postgres: (await server.query('SHOW server_version')).rows[0].server_version,
  };
  const results = {};
  let failed = false;
  await server.query(`CREATE DATABASE "${dbName}"`);
  // The bench's own connections to the API's database: kept open (no idle time-out), as it refuses new ones for a while.
  const admin = new Pool({ connectionString: databaseUrl(dbName), max: 4, idleTimeoutMillis: 0, application_name: 'api-faults-bench' });
  // Only ever at the end: pool.end() resolves before its sockets close, and DROP … WITH (FORCE) terminates them.
  admin.on('error', () => undefined);
  try {
    for (const [name, run] of [['load', killsUnderLoad], ['sigkill', sigkillBeforeProcessing], ['lat', latencies], ['env', badEnvironments]]) {
      try {
        results[name] = await run({ admin, server }, dbName, dataDir);
      } catch (error) {
        failed = true;
        console.error(`${name}: could not run: ${error.stack ?? error}`);
      }
    }
  } finally {
    await admin.end();
    await server.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await server.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
  machine.loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');
  printFigures(results, machine);
  if (results.load && !results.load.alive) console.log(`\nThe API died under the kills; what it said last:\n${results.load.output}`);
  process.exit(failed ? 1 : 0);
}

await main();
