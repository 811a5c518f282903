import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadAppConfig, type AppConfig } from '@switchboard/api-data-access-config';
import { DATABASE, rowsOf, type Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import { API_ROUTES, WEBHOOK_ROUTES, type CallControlErrorBody, type TransferResponse } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { Pool } from 'pg';
import { createApp } from '../src/app/create-app';
import { ENGINES, signIn } from './support';

/**
 * Cold transfer over real HTTP, against the real voice sandbox started from its own entry point (as
 * call-control.e2e-spec.ts does). The API listens on the origin the sandbox calls back, so the conference
 * record and the transfer target's call status come from the sandbox's own signed callbacks. A scripted
 * customer is anchored in a conference and bob's leg (a scripted number labelled `client:bob`, as a
 * softphone leg is) joins it; bob transfers to scripted numbers. The real SDK answering as an agent is a
 * later step.
 */
const WORKSPACE_ROOT = resolve(__dirname, '../../..');
const SANDBOX_ENTRY = ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/voice-sandbox/src/main.ts'];
const TS_NODE_ENV = {
  TS_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
  TS_NODE_TRANSPILE_ONLY: 'true',
  TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node10' }),
};

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


/** Polls until `check` holds: the API learns of the sandbox's callbacks asynchronously, and tells nobody. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((next) => setTimeout(next, 50));
  }
}

describe.each(ENGINES)('cold transfer over HTTP against the voice sandbox (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let sandbox: { child: ChildProcess; url: string };
  let dataDir: string;
  let app: NestFastifyApplication;
  let config: AppConfig;
  let apiUrl: string;
  let database: Database;
  let commands: ConferenceCommands;
  let bob: string;
  let alice: string;

  /** A customer (scripted, echoing) anchored in a new conference, and bob's leg in it, both recorded by the API. */
  async function anchoredCall(): Promise<{ conferenceSid: string; customer: string; bobLeg: string }> {
    const dial = {
      from: config.twilio.callerId, timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false as const,
      callStatusCallback: { path: WEBHOOK_ROUTES.status }, conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
      conferenceEvents: ['start', 'end', 'join', 'leave', 'hold', 'mute'] as const,
    };
    const customer = await commands.addParticipant({ ...dial, conference: { friendlyName: `call-${randomBytes(4).toString('hex')}` }, to: SANDBOX_NUMBERS.answersAndEchoes, label: 'customer' });
    const bobLeg = await commands.addParticipant({ ...dial, conference: { sid: customer.conferenceSid }, to: SANDBOX_NUMBERS.answersWithTone, label: 'client:bob' });
    await eventually(() => recorded(customer.conferenceSid), (rows) => rows.length === 2, 'both participants recorded');
    return { conferenceSid: customer.conferenceSid, customer: customer.callSid, bobLeg: bobLeg.callSid };
  }

  /** The API's record: who is in the conference now. */
  async function recorded(conferenceSid: string): Promise<string[]> {
    const rows = rowsOf(await database.db.execute(sql`SELECT call_sid FROM conference_participants
      WHERE conference_sid = ${conferenceSid} AND left_at IS NULL ORDER BY call_sid`)) as Array<{ call_sid: string }>;
    return rows.map((row) => row.call_sid);
  }

  /** The sandbox's own view: every participant (ringing ones too) with its label and hold flag. */
  async function atSandbox(conferenceSid: string): Promise<Array<{ callSid: string; label: string | null; hold: boolean; status: string }>> {
    const list = await commands.listParticipants(conferenceSid);
    return list.map((p) => ({ callSid: p.callSid, label: p.label, hold: p.hold, status: p.status })).sort((a, b) => a.callSid.localeCompare(b.callSid));
  }

  async function transferRecord(transferId: string): Promise<{ status: string; miss_reason: string | null; outcome: string | null }> {
    const [row] = rowsOf(await database.db.execute(sql`SELECT status, miss_reason, outcome FROM transfers WHERE transfer_id = ${transferId}`));
    return row as { status: string; miss_reason: string | null; outcome: string | null };
  }

  const transfer = (callSid: string, cookie: string, target: unknown) => fetch(`${apiUrl}${API_ROUTES.calls.transfer(callSid)}`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ target, mode: 'cold' }),
  });

  beforeAll(async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'cold-transfer-'));
    sandbox = await startSandbox(origin, dataDir);
    config = loadAppConfig({
      SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL: origin, TWILIO_API_BASE_URL: sandbox.url, DATA_DIR: 'memory://', STATIC_DIR: 'none', LOG_LEVEL: 'warn',
      // The shortest ring Twilio allows, so the unanswered transfer comes back quickly.
      DIAL_TIMEOUT_SECONDS: '5',
      ...(engine === 'postgres' ? { DATABASE_URL: process.env['TEST_DATABASE_URL'] as string } : {}),
    });
    const quiet = new Writable({ write(_chunk, _encoding, done) { done(); } });
    app = await createApp({ config, databaseSearchPath: engine === 'postgres' ? schema : undefined, logStream: quiet });
    await app.listen(port, '127.0.0.1');
    apiUrl = origin;
    database = app.get<Database>(DATABASE);
    commands = new TwilioConferenceCommands(config);
    const api = { url: apiUrl, config } as Parameters<typeof signIn>[0];
    [bob, alice] = [await signIn(api, 'bob'), await signIn(api, 'alice')];
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

  it('transfers to a number that answers: bob is removed, the customer (resumed) and the number remain', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    // Alice is not in the call: 404, nothing dialled.
    const refused = await transfer(bobLeg, alice, { kind: 'number', number: SANDBOX_NUMBERS.answersAndEchoes });
    expect([refused.status, ((await refused.json()) as CallControlErrorBody).code]).toEqual([404, 'not-a-participant']);
    expect((await atSandbox(conferenceSid)).map((p) => p.callSid)).toEqual([customer, bobLeg].sort());

    const response = await transfer(bobLeg, bob, { kind: 'number', number: SANDBOX_NUMBERS.answersAndEchoes });
    expect(response.status).toBe(200);
    const answer = await response.json() as TransferResponse;
    expect(answer).toEqual({ callSid: bobLeg, transferId: expect.any(String), mode: 'cold', status: 'ringing-target', targetDisplay: SANDBOX_NUMBERS.answersAndEchoes });

    await eventually(() => transferRecord(answer.transferId), (row) => row.status === 'answered', 'the transfer answered');
    const [target] = await eventually(async () => (await atSandbox(conferenceSid)).filter((p) => p.label === 'transfer-target'),
      (found) => found.length === 1 && found[0].status === 'connected', 'the number connected');
    const remaining = await eventually(() => atSandbox(conferenceSid), (list) => list.length === 2 && list.every((p) => !p.hold), 'bob removed, the customer resumed');
    expect(remaining).toEqual([
      { callSid: customer, label: 'customer', hold: false, status: 'connected' },
      { callSid: target.callSid, label: 'transfer-target', hold: false, status: 'connected' },
    ].sort((a, b) => a.callSid.localeCompare(b.callSid)));
    expect(await eventually(() => recorded(conferenceSid), (rows) => !rows.includes(bobLeg) && rows.length === 2, 'the record without bob'))
      .toEqual([customer, target.callSid].sort());
    expect(await transferRecord(answer.transferId)).toEqual({ status: 'answered', miss_reason: null, outcome: 'transferred' });
    await commands.completeConference(conferenceSid);
  });

  it('transfers to a number that never answers: the customer is held while it rings, a second transfer is refused, then the call returns to bob with no-answer', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    const response = await transfer(bobLeg, bob, { kind: 'number', number: SANDBOX_NUMBERS.noAnswer });
    expect(response.status).toBe(200);
    const answer = await response.json() as TransferResponse;
    expect(answer.status).toBe('ringing-target');
    expect((await atSandbox(conferenceSid)).find((p) => p.callSid === customer)?.hold).toBe(true);
    // One transfer rings at a time.
    const second = await transfer(bobLeg, bob, { kind: 'number', number: SANDBOX_NUMBERS.answersAndEchoes });
    expect([second.status, ((await second.json()) as CallControlErrorBody).code]).toEqual([409, 'target-unavailable']);

    expect(await eventually(() => transferRecord(answer.transferId), (row) => row.status !== 'ringing-target', 'the transfer settled'))
      .toEqual({ status: 'returned-to-you', miss_reason: 'no-answer', outcome: 'returned' });
    const back = await eventually(() => atSandbox(conferenceSid), (list) => list.length === 2 && list.every((p) => !p.hold), 'the customer resumed with bob');
    expect(back.map((p) => [p.callSid, p.label])).toEqual([[customer, 'customer'], [bobLeg, 'client:bob']].sort((a, b) => a[0].localeCompare(b[0])));
    await commands.completeConference(conferenceSid);
  });

  it('refuses a premium number with 422 number-refused (blocked-prefix), audited, and malformed requests with 400; nothing dialled or held', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    const premium = '+19005550100';
    const response = await transfer(bobLeg, bob, { kind: 'number', number: premium });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ statusCode: 422, code: 'number-refused', reason: 'blocked-prefix' });
    expect(await atSandbox(conferenceSid)).toEqual([
      { callSid: customer, label: 'customer', hold: false, status: 'connected' },
      { callSid: bobLeg, label: 'client:bob', hold: false, status: 'connected' },
    ].sort((a, b) => a.callSid.localeCompare(b.callSid)));
    // A number not in E.164 and a consult (not available yet) are malformed requests: 400, not audited, nothing dialled.
    for (const body of [{ target: { kind: 'number', number: '9005550100' }, mode: 'cold' }, { target: { kind: 'agent', identity: 'alice' }, mode: 'consult' }]) {
      const malformed = await fetch(`${apiUrl}${API_ROUTES.calls.transfer(bobLeg)}`, { method: 'POST', headers: { cookie: bob, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect([malformed.status, ((await malformed.json()) as CallControlErrorBody).code]).toEqual([400, 'invalid-request']);
    }
    const audit = rowsOf(await database.db.execute(sql`SELECT agent_identity, reason FROM outbound_call_refusals WHERE to_number = ${premium}`));
    expect(audit).toEqual([{ agent_identity: 'bob', reason: 'blocked-prefix' }]);
    expect(rowsOf(await database.db.execute(sql`SELECT 1 FROM transfers WHERE conference_sid = ${conferenceSid}`))).toEqual([]);
    await commands.completeConference(conferenceSid);
  });
});
