#!/usr/bin/env node
// The supervisors' Insights report (issue 14, item 3) on 10 000 generated calls (generate.mjs), on the
// embedded engine (PGlite) and on Postgres, over real HTTP with a supervisor's session: median and p95 of
// the report for a few filters, beside the 200 ms target and two bare ceilings measured in the same run: a
// node:http server answering the same report's JSON as a constant (HTTP and body size alone), and the one
// SQL scan of the records any report must make (no grouping, no HTTP). Also the CSV export of every record.
// Nothing is asserted. BENCH_INSIGHTS_CALLS (default 10000), BENCH_INSIGHTS_ROUNDS (default 30).
// Postgres: BENCH_DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (skipped when
// it does not answer). Run after `npx nx build api` (without dist, or with BENCH_FROM_SOURCE=1, it runs the API from
// source through ts-node, and says so).
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BARE_SCAN, generationStatements } from './generate.mjs';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

const CALLS = Number(process.env.BENCH_INSIGHTS_CALLS ?? 10_000);
const ROUNDS = Math.max(5, Number(process.env.BENCH_INSIGHTS_ROUNDS ?? 30));
const WARMUP = 3;
const TARGET_MS = 200;
const POSTGRES = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const dayBefore = (n) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
/** The filters measured (the API's zone is UTC here). The data covers the 21 days before now. */
const FILTERS = [
  ['last 7 days (default)', ''],
  ['21 days', `from=${dayBefore(21)}&to=${today}`],
  ['21 days, alice, inbound', `from=${dayBefore(21)}&to=${today}&agent=alice&direction=inbound`],
  ['21 days, poor', `from=${dayBefore(21)}&to=${today}&band=poor`],
  ['366 days', `from=${dayBefore(365)}&to=${today}`],
];

const freePort = () => new Promise((resolvePort) => {
  const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolvePort(port)); });
});
const quantile = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');

/** One API process on `dataDir` (kept: the embedded engine's data lives there between starts). */
async function startApi(dataDir, databaseUrl) {
  const port = await freePort();
  const built = join(root, 'dist/apps/api/main.js');
  const fromSource = process.env.BENCH_FROM_SOURCE === '1' || !existsSync(built);
  const args = fromSource ? ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'] : [built];
  const sourceEnv = fromSource ? {
    TS_NODE_PROJECT: join(root, 'tsconfig.base.json'), TS_NODE_TRANSPILE_ONLY: 'true',
    TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node10' }),
  } : {};
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, ...sourceEnv,
      SWITCHBOARD_MODE: 'sandbox', PORT: String(port), PUBLIC_BASE_URL: 'http://127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: 'none',
      LOG_LEVEL: 'warn', RECONCILE_INTERVAL_SECONDS: '0', RETENTION_SWEEP_INTERVAL_SECONDS: '0', FLOOR_TIME_ZONE: 'UTC',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  const url = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); ;) {
    if (child.exitCode !== null) throw new Error(`the API exited during start-up:\n${stderr}`);
    try { if ((await fetch(`${url}/health/ready`)).ok) break; } catch { /* not yet */ }
    if (Date.now() - started > 180_000) throw new Error(`the API at ${url} was not ready after 180 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url, fromSource,
    async stop() {
      if (child.exitCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

async function signIn(url) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: 'sam', password: process.env.DEMO_PASSWORD ?? 'switchboard-demo' }),
  });
  if (response.status !== 200) throw new Error(`sign-in of sam answered ${response.status}`);
  return response.headers.getSetCookie()[0].split(';')[0];
}

/** Sequential GETs (one at a time: the latency a supervisor sees); the body is read in full. */
async function timeGets(url, headers) {
  const times = [];
  let body = '';
  let status = 0;
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers });
    body = await response.text();
    status = response.status;
    if (i >= WARMUP) times.push(performance.now() - start);
  }
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), body, status };
}

async function timeQuery(run) {
  const times = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const start = performance.now();
    await run();
    if (i >= WARMUP) times.push(performance.now() - start);
  }
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

async function bareJson(body) {
  const child = fork(join(here, 'bare-json-server.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const port = await new Promise((resolvePort) => child.once('message', (m) => resolvePort(m.port)));
    await new Promise((resolveReady) => { child.once('message', resolveReady); child.send({ body }); });
    return await timeGets(`http://127.0.0.1:${port}/`, {});
  } finally {
    child.disconnect();
  }
}

/** Reports, the bare JSON server on the largest report, and the CSV, against one running API. */
async function measureApi(api) {
  const cookie = await signIn(api.url);
  const reports = [];
  for (const [name, query] of FILTERS) {
    const timed = await timeGets(`${api.url}/api/insights?${query}`, { cookie });
    reports.push({ name, ...timed, calls: timed.status === 200 ? JSON.parse(timed.body).totals.calls : `HTTP ${timed.status}`, bytes: timed.body.length });
  }
  const largest = reports.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const bare = await bareJson(largest.body);
  const start = performance.now();
  const csv = await fetch(`${api.url}/api/insights/calls.csv?from=${dayBefore(21)}&to=${today}`, { headers: { cookie } });
  const csvText = await csv.text();
  const csvMs = performance.now() - start;
  return { reports, bare, bareBytes: largest.bytes, csv: { ms: csvMs, rows: csvText.split('\r\n').length - 2, bytes: csvText.length, status: csv.status } };
}

async function embeddedRun() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-insights-bench-'));
  try {
    // First start: migrations and the demo agents; then the bench writes the data set while the API is down
    // (the embedded engine serves one process at a time), and measures the bare scan on the same files.
    await (await startApi(dataDir, null)).stop();
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(join(dataDir, 'pglite'));
    await db.waitReady;
    let scan;
    try {
      for (const statement of generationStatements(CALLS)) await db.query(statement);
      await db.query('ANALYZE');
      scan = await timeQuery(() => db.query(BARE_SCAN));
    } finally {
      await db.close();
    }
    const api = await startApi(dataDir, null);
    try {
      return { ...(await measureApi(api)), scan, fromSource: api.fromSource };
    } finally {
      await api.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresRun() {
  const server = new Pool({ connectionString: POSTGRES, max: 1, connectionTimeoutMillis: 3000 });
  try {
    await server.query('SELECT 1');
  } catch (error) {
    await server.end().catch(() => undefined);
    return { skipped: `Postgres at ${POSTGRES} did not answer (${error.message})` };
  }
  const name = `insights_bench_${process.pid}`;
  await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await server.query(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-insights-bench-'));
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  try {
    const api = await startApi(dataDir, url.toString());
    try {
      for (const statement of generationStatements(CALLS)) await pool.query(statement);
      await pool.query('ANALYZE');
      const scan = await timeQuery(() => pool.query(BARE_SCAN));
      return { ...(await measureApi(api)), scan, fromSource: api.fromSource };
    } finally {
      await api.stop();
    }
  } finally {
    await pool.end();
    rmSync(dataDir, { recursive: true, force: true });
    try { await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } finally { await server.end(); }
  }
}

function print(embedded, postgres, machine) {
  const cell = (run, pick) => (run.skipped ? 'skipped' : pick(run));
  console.log(`\nInsights report: ${CALLS} generated calls over 21 days (+ ratings, registrations); ${ROUNDS} sequential requests per figure after ${WARMUP} warm-up; `
    + `API ${embedded.fromSource ? 'from source via ts-node' : 'dist/apps/api/main.js'}`);
  console.log(`date ${machine.date}; machine: ${machine.cores} cores, ${machine.cpu}; load average ${machine.loadBefore} before, ${loadavg().map((l) => l.toFixed(2)).join(' ')} after; Node ${process.version}`);
  if (postgres.skipped) console.log(`Postgres: ${postgres.skipped}`);
  const rows = [
    ...FILTERS.map(([name], i) => [`GET /api/insights, ${name}: p50 / p95 (calls in range)`,
      `${ms(embedded.reports[i].p50)} / ${ms(embedded.reports[i].p95)} (${embedded.reports[i].calls})`,
      cell(postgres, (p) => `${ms(p.reports[i].p50)} / ${ms(p.reports[i].p95)} (${p.reports[i].calls})`), `p95 < ${TARGET_MS} ms`]),
    ['ceiling: node:http answering the largest report as a constant: p50 / p95 (bytes)',
      `${ms(embedded.bare.p50)} / ${ms(embedded.bare.p95)} (${embedded.bareBytes})`, cell(postgres, (p) => `${ms(p.bare.p50)} / ${ms(p.bare.p95)} (${p.bareBytes})`), ''],
    ['ceiling: one SQL scan of 21 days of records, no HTTP: p50 / p95',
      `${ms(embedded.scan.p50)} / ${ms(embedded.scan.p95)}`, cell(postgres, (p) => `${ms(p.scan.p50)} / ${ms(p.scan.p95)}`), ''],
    ['GET /api/insights/calls.csv, 21 days: time (rows, bytes)',
      `${ms(embedded.csv.ms)} (${embedded.csv.rows}, ${embedded.csv.bytes})`, cell(postgres, (p) => `${ms(p.csv.ms)} (${p.csv.rows}, ${p.csv.bytes})`), ''],
  ];
  const head = ['figure', 'embedded (PGlite)', 'Postgres', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(`\n${line(head)}`);
  for (const row of rows) console.log(line(row));
}

const machine = { date: new Date().toISOString(), cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', loadBefore: loadavg().map((l) => l.toFixed(2)).join(' ') };
try {
  const embedded = await embeddedRun();
  const postgres = await postgresRun();
  print(embedded, postgres, machine);
  process.exit(0);
} catch (error) {
  console.error(`insights bench could not run: ${error.stack ?? error}`);
  process.exit(1);
}
