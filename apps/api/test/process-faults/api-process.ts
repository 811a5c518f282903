import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { Pool } from 'pg';
import { getExpectedTwilioSignature } from 'twilio';
import { PUBLIC_BASE_URL } from '../support';
import { freePort } from '../support/free-port';
import { spawnFromSource } from '../support/from-source';

const STOP_GRACE_MS = 10_000;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * The API's own entry point, apps/api/src/main.ts (what webpack bundles into dist/apps/api/main.js, which
 * tools/stack and the bench run), started from source: `npm test` runs lint, test and build side by side, so
 * dist may be missing or stale while this runs, and a build here would race the real one.
 * Spawns the entry with exactly `env` (plus PATH and HOME; nothing else of this process's environment, whose
 * TWILIO_* or NODE_OPTIONS are not the API's). Output is kept, in full, for assertions and failure messages.
 */
export function spawnApiEntry(env: Record<string, string>): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<Exit> } {
  const child = spawnFromSource('apps/api/src/main.ts', env);
  const out: string[] = [];
  const err: string[] = [];
  child.stdout?.on('data', (chunk) => out.push(String(chunk)));
  child.stderr?.on('data', (chunk) => err.push(String(chunk)));
  const exited = new Promise<Exit>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  return { child, stdout: () => out.join(''), stderr: () => err.join(''), exited };
}

export interface ApiProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  output(): string;
  isAlive(): boolean;
  /** SIGTERM, as an orchestrator stops it, and SIGKILL if it has not exited after a grace period; resolves once it exited. */
  stop(): Promise<void>;
}

/** A sandbox-mode API on a free loopback port against `databaseUrl`; resolves once it has logged that it listens. */
export async function startApiProcess(databaseUrl: string, dataDir: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const spawned = spawnApiEntry({
    SWITCHBOARD_MODE: 'sandbox', PORT: String(port), PUBLIC_BASE_URL, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, STATIC_DIR: 'none',
    // info: main.ts logs "Switchboard API (…) on …" once it listens, which is what start-up waits for.
    LOG_LEVEL: 'info', RECONCILE_INTERVAL_SECONDS: '0', RETENTION_SWEEP_INTERVAL_SECONDS: '0', ...env,
  });
  const { child, exited } = spawned;
  // For failure messages: all it wrote to stderr, and the end of its request log.
  const output = () => `${spawned.stderr()}\n${spawned.stdout().slice(-4_000)}`;
  await new Promise<void>((resolveReady, reject) => {
    const onData = () => { if (/Switchboard API \(\w+ mode\) on /.test(spawned.stdout())) { cleanUp(); resolveReady(); } };
    const onExit = (code: number | null) => { cleanUp(); reject(new Error(`The API exited (${code}) during start-up:\n${output()}`)); };
    const cleanUp = () => { child.stdout?.off('data', onData); child.off('exit', onExit); };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
  const isAlive = () => child.exitCode === null && child.signalCode === null;
  return {
    url: `http://127.0.0.1:${port}`, child, exited, output, isAlive,
    async stop() {
      if (!isAlive()) return;
      // A graceful shutdown waits for requests in flight, which a failed test may have left blocked on its lock.
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface WebhookAnswer {
  /** 0 when no HTTP answer came at all (connection refused or reset: the process is gone). */
  readonly status: number;
  readonly text: string;
}

/** A webhook signed as Twilio signs it (over the public URL); unlike support.postWebhook, "no answer" is an outcome. */
export async function postSigned(api: Pick<ApiProcess, 'url'>, path: string, params: Record<string, string>): Promise<WebhookAnswer> {
  const signature = getExpectedTwilioSignature(SANDBOX_CREDENTIALS.authToken, `${PUBLIC_BASE_URL}${path}`, params);
  try {
    const response = await fetch(`${api.url}${path}`, { method: 'POST', body: new URLSearchParams(params), headers: { 'X-Twilio-Signature': signature } });
    return { status: response.status, text: await response.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

export const incomingCall = (callSid: string) => ({
  CallSid: callSid, AccountSid: SANDBOX_CREDENTIALS.accountSid, From: SANDBOX_NUMBERS.customer, To: SANDBOX_NUMBERS.support, CallStatus: 'ringing', Direction: 'inbound',
});

export const CALL_DURATION = '17';
/** An answered inbound call's status callbacks, in Twilio's order. */
export const CALL_STATUSES: ReadonlyArray<Record<string, string>> = [
  { CallStatus: 'ringing', SequenceNumber: '0' },
  { CallStatus: 'in-progress', SequenceNumber: '1' },
  { CallStatus: 'completed', SequenceNumber: '2', CallDuration: CALL_DURATION },
];
export const statusCallback = (callSid: string, status: Record<string, string>) => ({
  CallSid: callSid, AccountSid: SANDBOX_CREDENTIALS.accountSid, From: SANDBOX_NUMBERS.customer, To: SANDBOX_NUMBERS.support, Direction: 'inbound', ...status,
});
export const STATUS_ROUTE = WEBHOOK_ROUTES.status;
export const INCOMING_ROUTE = WEBHOOK_ROUTES.incoming;

export interface CallRow {
  readonly call_sid: string;
  readonly status: string;
  readonly duration_seconds: number | null;
  readonly from_number: string;
  readonly to_number: string;
  readonly voicemail_target: string | null;
  readonly events: number;
  readonly participants: number;
}

/** The calls' rows as the test's own connection reads them, with their event and participant counts. */
export async function callRows(pool: Pool, callSids: readonly string[]): Promise<Map<string, CallRow>> {
  const { rows } = await pool.query<CallRow>(`
    SELECT c.call_sid, c.status, c.duration_seconds, c.from_number, c.to_number, c.voicemail_target,
      (SELECT count(*)::int FROM call_events e WHERE e.call_sid = c.call_sid) AS events,
      (SELECT count(*)::int FROM call_participants p WHERE p.call_sid = c.call_sid) AS participants
    FROM calls c WHERE c.call_sid = ANY($1)`, [callSids]);
  return new Map(rows.map((row) => [row.call_sid, row]));
}

/** A database of its own per run on the TEST_DATABASE_URL server, so nothing here collides with other suites. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** The test's own connections to it; they call themselves process-faults-test, never switchboard-api. */
  readonly pool: Pool;
  readonly dataDir: string;
  /** Terminates every connection the API processes hold on it; returns how many. */
  terminateApiConnections(): Promise<number>;
  /** The server refuses (false) or accepts (true) new connections to it, as a database that is down or back. */
  allowConnections(allow: boolean): Promise<void>;
  drop(): Promise<void>;
}

export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `process_faults_${process.pid}_${randomBytes(4).toString('hex')}`;
  const server = new Pool({ connectionString: serverUrl, max: 1 });
  await server.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Kept open for the whole run (no idle time-out): the database refuses new connections for a while in one test.
  const pool = new Pool({ connectionString: url.toString(), max: 3, idleTimeoutMillis: 0, application_name: 'process-faults-test' });
  // pool.end() resolves before its sockets are closed, and DROP … WITH (FORCE) then terminates them: an 'error'
  // on a connection being closed, which must not become an uncaught one (a query on a killed connection still fails).
  pool.on('error', () => undefined);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-process-faults-'));
  return {
    name, url: url.toString(), pool, dataDir,
    async terminateApiConnections() {
      const result = await server.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'switchboard-api%'`, [name]);
      return result.rowCount ?? 0;
    },
    async allowConnections(allow) {
      await server.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
    },
    async drop() {
      await pool.end();
      try { await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } finally { await server.end(); }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether something accepts TCP connections on the loopback port right now. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolveProbe(true); });
    socket.once('error', () => resolveProbe(false));
  });
}
