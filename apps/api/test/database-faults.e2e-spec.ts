import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { applicationNameFor, CallbackInboxRepository, CallsRepository, DATABASE, Database } from '@switchboard/api-data-access-db';
import { CallReconciler } from '@switchboard/api-feature-call-events';
import { API_ROUTES, WEBHOOK_ROUTES, type VoicemailList } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { Pool } from 'pg';
import { createApp } from '../src/app/create-app';
import { callSid, ENGINES, parseTwiml, postWebhook, PUBLIC_BASE_URL, recordingSid, signIn, type TestApi } from './support';

const ACCOUNT = SANDBOX_CREDENTIALS.accountSid;
const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];

/**
 * Twilio's REST API as far as the reconciler uses it: `Calls/{sid}.json` answers what `provider` says
 * (a status and duration), or Twilio's 20404 JSON. Every request is kept for the assertions.
 */
async function startRestStub(provider: Map<string, { status: string; duration: string }>) {
  const requests: Array<{ path: string; auth: string | undefined }> = [];
  const server = http.createServer((request, response) => {
    requests.push({ path: request.url ?? '', auth: request.headers.authorization });
    const sid = /\/Calls\/(CA[0-9a-f]{32})\.json$/.exec(request.url ?? '')?.[1];
    const call = sid ? provider.get(sid) : undefined;
    response.setHeader('Content-Type', 'application/json');
    if (!sid || !call) {
      response.statusCode = 404;
      response.end(JSON.stringify({ code: 20404, message: `The requested resource ${request.url} was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 }));
      return;
    }
    response.end(JSON.stringify({
      sid, account_sid: ACCOUNT, status: call.status, duration: call.duration,
      start_time: 'Tue, 01 Dec 2026 10:00:00 +0000', end_time: call.status === 'in-progress' ? null : 'Tue, 01 Dec 2026 10:00:42 +0000',
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The embedded engine creates its directory on first start; on a loaded two-core machine that takes minutes. */
const START_TIMEOUT_MS = 300_000;

describe.each(ENGINES)('database faults (%s)', (engine) => {
  // The same data across a restart: a directory for the embedded engine, a schema on Postgres.
  const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'switchboard-faults-')) : 'memory://';
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const provider = new Map<string, { status: string; duration: string }>();
  let rest: Awaited<ReturnType<typeof startRestStub>>;
  let api: TestApi;

  async function start(): Promise<TestApi> {
    const config = loadAppConfig({
      SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL, DATA_DIR: dataDir, STATIC_DIR: 'none', LOG_LEVEL: 'warn',
      TWILIO_API_BASE_URL: rest.url, TWIML_DEADLINE_MS: '1000', RECONCILE_INTERVAL_SECONDS: '0', RECONCILE_AFTER_SECONDS: '600',
      ...(engine === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL as string } : {}),
    });
    const logLines: string[] = [];
    const logStream = new Writable({ write(chunk, _encoding, done) { logLines.push(String(chunk)); done(); } });
    const app = await createApp({ config, databaseSearchPath: engine === 'postgres' ? schema : undefined, logStream });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return { url, app, config, database: app.get<Database>(DATABASE), logLines, close: () => app.close() };
  }

  beforeAll(async () => {
    rest = await startRestStub(provider);
    api = await start();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await api?.close();
    await rest?.close();
    if (engine === 'pglite') rmSync(dataDir, { recursive: true, force: true });
    else {
      const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
      try { await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await pool.end(); }
    }
  });

  let sidCounter = 0x7000;
  const nextSid = () => callSid(sidCounter++);
  const status = (sid: string, callStatus: string, extra: Record<string, string> = {}) => postWebhook(api, WEBHOOK_ROUTES.status, {
    CallSid: sid, AccountSid: ACCOUNT, CallStatus: callStatus, Direction: 'inbound', From: SANDBOX_NUMBERS.customer, To: SANDBOX_NUMBERS.support, ...extra,
  });
  const recording = (pathAndQuery: string, sid: string, n: number) => postWebhook(api, pathAndQuery, {
    CallSid: sid, AccountSid: ACCOUNT, RecordingSid: recordingSid(n), RecordingStatus: 'completed', RecordingDuration: '12',
    RecordingUrl: `${rest.url}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${recordingSid(n)}`,
  });
  const findCall = (sid: string) => api.app.get(CallsRepository).findBySid(sid);
  const voicemailsOf = async (identity: string) => {
    const response = await fetch(`${api.url}${API_ROUTES.voicemails.list}`, { headers: { cookie: await signIn(api, identity) } });
    expect(response.status).toBe(200);
    return ((await response.json()) as VoicemailList).items;
  };

  it('stores a recording whose call is unknown for the routed target, or in the unassigned inbox that supervisors see', async () => {
    const routed = nextSid();
    const query = `?to=${encodeURIComponent(SANDBOX_NUMBERS.support)}&from=${encodeURIComponent(SANDBOX_NUMBERS.customer)}`;
    expect((await recording(`${WEBHOOK_ROUTES.recordingStatus}${query}`, routed, 0x7001)).status).toBe(204);
    const orphan = nextSid();
    expect((await recording(WEBHOOK_ROUTES.recordingStatus, orphan, 0x7002)).status).toBe(204);

    expect((await voicemailsOf('bob')).filter((v) => v.callSid === routed))
      .toEqual([expect.objectContaining({ calledTarget: 'group:support', from: SANDBOX_NUMBERS.customer, durationSeconds: 12 })]);
    expect((await voicemailsOf('sam')).filter((v) => v.callSid === orphan)).toEqual([expect.objectContaining({ calledTarget: 'unassigned' })]);
    expect((await voicemailsOf('alice')).some((v) => v.callSid === orphan)).toBe(false);
  });

  it('answers a callback 503 while the database fails it, and stores it once the database is back', async () => {
    const sid = nextSid();
    await api.database.db.execute(sql`ALTER TABLE callback_inbox RENAME TO callback_inbox_away`);
    try {
      expect((await status(sid, 'ringing', { SequenceNumber: '1' })).status).toBe(503);
    } finally {
      await api.database.db.execute(sql`ALTER TABLE callback_inbox_away RENAME TO callback_inbox`);
    }
    expect(await findCall(sid)).toBeUndefined();
    expect((await status(sid, 'ringing', { SequenceNumber: '1' })).status).toBe(204); // Twilio's retry
    expect((await findCall(sid))?.status).toBe('ringing');
  });

  it('processes at start-up a callback the previous process stored but never processed, once', async () => {
    const sid = nextSid();
    expect((await status(sid, 'in-progress', { SequenceNumber: '2' })).status).toBe(204);
    // Written as the request writes it, then the process "dies" before processing it.
    await api.app.get(CallbackInboxRepository).receive({
      kind: 'status', deliveryKey: `status:${sid}:completed:3`, idempotencyToken: null, query: {},
      params: { CallSid: sid, CallStatus: 'completed', SequenceNumber: '3', CallDuration: '31', Direction: 'inbound' },
    });
    expect((await findCall(sid))?.status).toBe('in-progress');
    await api.close();
    api = await start();
    expect(await findCall(sid)).toMatchObject({ status: 'completed', durationSeconds: 31 });
    expect(await api.app.get(CallbackInboxRepository).countPending()).toBe(0);
    // A late genuine delivery of the same callback changes nothing.
    expect((await status(sid, 'completed', { SequenceNumber: '3', CallDuration: '99' })).status).toBe(204);
    expect(await findCall(sid)).toMatchObject({ status: 'completed', durationSeconds: 31 });
  }, START_TIMEOUT_MS);

  it('closes calls left non-terminal by fetching them from the REST API over HTTP, and leaves live ones', async () => {
    const anHourAgo = new Date(Date.now() - 3600_000).toUTCString();
    const [lostCompleted, unknownToProvider, stillLive, recent] = [nextSid(), nextSid(), nextSid(), nextSid()];
    for (const sid of [lostCompleted, unknownToProvider, stillLive]) expect((await status(sid, 'in-progress', { Timestamp: anHourAgo })).status).toBe(204);
    expect((await status(recent, 'in-progress')).status).toBe(204);
    provider.set(lostCompleted, { status: 'completed', duration: '42' });
    provider.set(stillLive, { status: 'in-progress', duration: '0' });
    provider.set(recent, { status: 'completed', duration: '5' });
    rest.requests.length = 0;

    expect(await api.app.get(CallReconciler).closeStaleCalls()).toBe(2);

    expect(await findCall(lostCompleted)).toMatchObject({ status: 'completed', durationSeconds: 42, endedAt: '2026-12-01T10:00:42.000Z' });
    expect((await findCall(unknownToProvider))?.status).toBe('failed');
    expect((await findCall(stillLive))?.status).toBe('in-progress');
    expect((await findCall(recent))?.status).toBe('in-progress'); // younger than RECONCILE_AFTER_SECONDS: not fetched
    const basic = `Basic ${Buffer.from(`${ACCOUNT}:${SANDBOX_CREDENTIALS.authToken}`).toString('base64')}`;
    expect(rest.requests.map((r) => [r.path, r.auth]).sort()).toEqual(
      [lostCompleted, unknownToProvider, stillLive].map((sid) => [`/2010-04-01/Accounts/${ACCOUNT}/Calls/${sid}.json`, basic]).sort(),
    );
    // Leased: an immediate second pass (another instance's, say) fetches nothing.
    expect(await api.app.get(CallReconciler).closeStaleCalls()).toBe(0);
    expect(rest.requests).toHaveLength(3);
  });

  if (engine === 'postgres') {
    const admin = () => new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });

    it('stays up when Postgres terminates its connections, and serves the next requests on new ones', async () => {
      expect((await status(nextSid(), 'ringing')).status).toBe(204); // the pool now holds idle connections
      let dropped = 0;
      let wake: () => void = () => undefined;
      const unsubscribe = api.database.onConnectionError(() => { dropped++; wake(); });
      const pool = admin();
      try {
        const result = await pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationNameFor(schema)]);
        expect(result.rowCount).toBeGreaterThan(0);
        while (dropped < (result.rowCount ?? 0)) await new Promise<void>((resolve) => { wake = () => resolve(); });
      } finally {
        unsubscribe();
        await pool.end();
      }
      const sid = nextSid();
      expect((await status(sid, 'ringing')).status).toBe(204);
      expect((await fetch(`${api.url}${API_ROUTES.health.ready}`)).status).toBe(200);
      expect((await findCall(sid))?.status).toBe('ringing');
    });

    it('answers an incoming call with voicemail TwiML while the database is stalled, and that voicemail is kept', async () => {
      const pool = admin();
      const locker = await pool.connect();
      const sid = nextSid();
      let twiml: ReturnType<typeof parseTwiml>;
      try {
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE "${schema}".inbound_routes IN ACCESS EXCLUSIVE MODE`);
        const response = await postWebhook(api, WEBHOOK_ROUTES.incoming, {
          CallSid: sid, AccountSid: ACCOUNT, From: SANDBOX_NUMBERS.customer, To: SANDBOX_NUMBERS.support, CallStatus: 'ringing', Direction: 'inbound',
        });
        expect(response.status).toBe(200);
        twiml = parseTwiml(await response.text());
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
        await pool.end();
      }
      expect(twiml['Dial']).toBeUndefined();
      expect(twiml['Record']).toMatchObject({ '@playBeep': 'true', '@finishOnKey': '#' });
      const callbackUrl = String(twiml['Record']['@recordingStatusCallback']);
      expect(callbackUrl).toBe(`${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.recordingStatus}?to=%2B14155550100&from=%2B14155550150`);
      expect((await recording(callbackUrl.slice(PUBLIC_BASE_URL.length), sid, 0x7003)).status).toBe(204);
      expect((await voicemailsOf('bob')).filter((v) => v.callSid === sid)).toEqual([expect.objectContaining({ calledTarget: 'group:support' })]);
    });
  }
});

