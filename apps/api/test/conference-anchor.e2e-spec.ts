import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { DATABASE, rowsOf, type Database } from '@switchboard/api-data-access-db';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { Pool } from 'pg';
import { createApp } from '../src/app/create-app';
import { ENGINES } from './support';

/**
 * CUSTOMER_CALL_ANCHOR=conference over the real voice sandbox started from its own entry point (as
 * call-control.e2e-spec.ts does), the API listening on the origin the sandbox calls back. A scripted PSTN
 * caller dials the support line: the API anchors them in the conference `sb-<CallSid>` and rings the
 * support group's agents into it over REST. No agent has a registered device here, so every leg ends
 * unanswered and the caller is redirected to the group's voicemail, where their tone is recorded.
 * (An agent who answers in a real browser is the softphone e2e's case.)
 */
const WORKSPACE_ROOT = resolve(__dirname, '../../..');
const SANDBOX_ENTRY = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/voice-sandbox/src/main.ts'];
const TS_NODE_ENV = {
  TS_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
  TS_NODE_TRANSPILE_ONLY: 'true',
  TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node10' }),
};
const DIAL_TIMEOUT_SECONDS = 5;
const UNANSWERED = ['no-answer', 'busy', 'failed', 'canceled'];

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function startSandbox(apiOrigin: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, SANDBOX_ENTRY, {
    cwd: WORKSPACE_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NODE_OPTIONS: '', ...TS_NODE_ENV,
      SANDBOX_PORT: '0', SANDBOX_DATA_DIR: dataDir, SANDBOX_API_BASE_URL: apiOrigin,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const ready = /Voice sandbox ready at (https:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (ready) { cleanUp(); resolveReady({ child, url: ready[1] }); }
    };
    const onExit = (code: number | null) => { cleanUp(); reject(new Error(`The sandbox exited (${code}) during start-up:\n${output}`)); };
    const cleanUp = () => { child.stdout?.off('data', onData); child.stderr?.off('data', onData); child.off('exit', onExit); };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** `POST /sandbox/inbound`: the sandbox's scripted PSTN caller dials one of its numbers (an admin hook, loopback, JSON). */
function placeInboundCall(sandboxUrl: string, body: { from: string; to: string; script: readonly object[] }): Promise<{ callSid: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolveCall, reject) => {
    const req = httpsRequest(`${sandboxUrl}/sandbox/inbound`, {
      method: 'POST', rejectUnauthorized: false, // the sandbox's self-signed certificate, on loopback
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => (res.statusCode === 201 ? resolveCall(JSON.parse(text)) : reject(new Error(`inbound call answered ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Polls until `check` holds: the API learns of the sandbox's callbacks asynchronously, and tells nobody. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((next) => setTimeout(next, 100));
  }
}

describe.each(ENGINES)('inbound calls anchored in a conference, against the voice sandbox (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let sandbox: { child: ChildProcess; url: string };
  let dataDir: string;
  let app: NestFastifyApplication;
  let database: Database;
  const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf(await database.db.execute(query)) as T[];

  beforeAll(async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'conference-anchor-'));
    sandbox = await startSandbox(origin, dataDir);
    const config = loadAppConfig({
      SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL: origin, TWILIO_API_BASE_URL: sandbox.url, DATA_DIR: 'memory://', STATIC_DIR: 'none', LOG_LEVEL: 'warn',
      CUSTOMER_CALL_ANCHOR: 'conference', DIAL_TIMEOUT_SECONDS: String(DIAL_TIMEOUT_SECONDS),
      ...(engine === 'postgres' ? { DATABASE_URL: process.env['TEST_DATABASE_URL'] as string } : {}),
    });
    const quiet = new Writable({ write(_chunk, _encoding, done) { done(); } });
    app = await createApp({ config, databaseSearchPath: engine === 'postgres' ? schema : undefined, logStream: quiet });
    await app.listen(port, '127.0.0.1');
    database = app.get<Database>(DATABASE);
  }, 120_000);

  afterAll(async () => {
    if (sandbox?.child.exitCode === null) {
      sandbox.child.kill('SIGTERM');
      await once(sandbox.child, 'exit');
    }
    await app?.close();
    if (engine === 'postgres') {
      const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'], max: 1 });
      try { await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await pool.end(); }
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("rings the support group's agents into the caller's conference; none can answer, so the caller reaches the group's voicemail, and history shows one call", async () => {
    // The caller waits out the ringing, then "speaks" (a tone) through the greeting, the beep and the recording.
    const { callSid } = await placeInboundCall(sandbox.url, {
      from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support,
      script: [{ wait: DIAL_TIMEOUT_SECONDS + 2 }, { tone: { hz: 440, seconds: 12 } }, { hangup: true }],
    });

    // The call was recorded (before answering) for the group, whose members are the agents to ring.
    await eventually(() => rows(sql`SELECT 1 FROM calls WHERE call_sid = ${callSid}`), (found) => found.length === 1, 'the incoming call recorded');
    const members = (await rows<{ agent_identity: string }>(sql`SELECT agent_identity FROM call_participants WHERE call_sid = ${callSid} ORDER BY agent_identity`))
      .map((row) => row.agent_identity);
    expect(members.length).toBeGreaterThan(0);
    expect(await rows(sql`SELECT voicemail_target FROM calls WHERE call_sid = ${callSid}`)).toEqual([{ voicemail_target: 'group:support' }]);

    // The caller was anchored in the conference named after their call, labelled as the customer.
    const [conference] = await eventually(
      () => rows<{ conference_sid: string; anchor_call_sid: string | null }>(sql`SELECT conference_sid, anchor_call_sid FROM conferences WHERE friendly_name = ${`sb-${callSid}`}`),
      (found) => found.length === 1 && found[0].anchor_call_sid === callSid, 'the conference anchoring the caller');
    expect(await rows(sql`SELECT label FROM conference_participants WHERE conference_sid = ${conference.conference_sid} AND call_sid = ${callSid}`))
      .toEqual([{ label: 'customer' }]);

    // Every member was rung over REST, from the caller's number; each leg ended unanswered (nobody has a device).
    const legs = await eventually(
      () => rows<{ call_sid: string; from_number: string; to_number: string; status: string }>(sql`
        SELECT call_sid, from_number, to_number, status FROM calls WHERE to_number LIKE 'client:%' ORDER BY to_number`),
      (found) => found.length === members.length && found.every((leg) => UNANSWERED.includes(leg.status)), 'every agent leg ended unanswered');
    expect(legs.map((leg) => [leg.to_number, leg.from_number])).toEqual(members.map((identity) => [`client:${identity}`, SANDBOX_NUMBERS.customer]));

    // The caller was redirected to the group's voicemail: their message is stored for the support group.
    const [voicemail] = await eventually(
      () => rows<{ called_target: string; from_number: string; duration_seconds: number }>(sql`
        SELECT called_target, from_number, duration_seconds FROM voicemails WHERE call_sid = ${callSid}`),
      (found) => found.length === 1, 'the voicemail stored');
    expect(voicemail).toMatchObject({ called_target: 'group:support', from_number: SANDBOX_NUMBERS.customer });
    expect(Number(voicemail.duration_seconds)).toBeGreaterThan(0);

    // History shows one call: the agent legs belong to nobody's history, the caller's call to the group's members.
    const legSids = legs.map((leg) => leg.call_sid);
    expect(await rows(sql`SELECT 1 FROM call_participants WHERE call_sid IN (${sql.join(legSids.map((sid) => sql`${sid}`), sql`, `)})`)).toEqual([]);
    await eventually(() => rows<{ status: string }>(sql`SELECT status FROM calls WHERE call_sid = ${callSid}`),
      (found) => found[0]?.status === 'completed', 'the caller\'s call completed');
  }, 90_000);
});
