import { rowsOf } from '@switchboard/api-data-access-db';
import { API_ROUTES, type QualityRecordsResponse } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { eventually } from './support/eventually';
import { placeInboundCall } from './support/sandbox-from-source';

/**
 * Twilio's Call Summary kept beside a quality record (issue 14), read from the real voice sandbox's
 * `GET /v1/Voice/{CallSid}/Summary` through the twilio client (TwilioCallSummaries), started from its own
 * entry point. A scripted caller rings the support line; bob (a member, so on the call) sends a record of
 * that leg, and the API fetches its summary in the background. Embedded engine only: this is about the
 * telephony path, which does not depend on the database engine (quality.e2e-spec.ts covers both).
 */
describe('the Call Summary of a recorded leg, from the voice sandbox (pglite)', () => {
  let stack: ApiWithSandbox;
  const T0 = Date.parse('2026-12-06T10:00:00.000Z');

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin('pglite', { dataDirPrefix: 'quality-summary-', env: { DIAL_TIMEOUT_SECONDS: '5' } });
  }, 120_000);
  afterAll(async () => { await stack?.close(); });

  it("fetches the leg's summary after its record is stored, and serves it with the record", async () => {
    const { callSid } = await placeInboundCall(stack.sandbox.url, {
      from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support, script: [{ wait: 2 }, { hangup: true }],
    });
    const [call] = await eventually(
      async () => rowsOf(await stack.database.db.execute(sql`SELECT id::text FROM calls WHERE call_sid = ${callSid}`)) as Array<{ id: string }>,
      (rows) => rows.length === 1, 'the incoming call recorded');
    const login = await fetch(`${stack.url}${API_ROUTES.auth.login}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: 'bob', password: 'switchboard-demo' }),
    });
    const cookie = (login.headers.getSetCookie().find((c) => c.startsWith(`${stack.config.sessions.cookieName}=`)) ?? '').split(';')[0];

    const stored = await fetch(`${stack.url}${API_ROUTES.quality.records}`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        callSid, direction: 'inbound', startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + 2000).toISOString(),
        samples: { firstSampleAt: T0, intervalMs: 1000, mos: [4.4, 4.4], rtt: [30, 30], jitter: [1, 1], packetLossPercent: [0, 0], inputLevel: [0.2, 0.2], outputLevel: [0.2, 0.2] },
        warnings: [], setup: [],
        media: { codec: 'opus', localCandidateType: null, remoteCandidateType: null, networkType: null, edge: null, dscp: false, sdkVersion: '2.18.5', inputDeviceLabel: null, outputDeviceLabel: null },
      }),
    });
    expect(stored.status).toBe(201);

    // Stored by the background fetch that followed the record; the API announces it to nobody, hence the polling read.
    const { records } = await eventually(
      async () => await (await fetch(`${stack.url}${API_ROUTES.quality.forCall(call.id)}`, { headers: { cookie } })).json() as QualityRecordsResponse,
      (read) => read.records[0]?.twilioSummary !== null && read.records[0]?.twilioSummary !== undefined, 'the Call Summary stored');
    const summary = records[0].twilioSummary;
    expect(summary).toEqual({
      tags: expect.any(Array), whoHungUp: summary?.whoHungUp ?? null, postDialDelayMs: summary?.postDialDelayMs ?? null,
      callState: expect.any(String), processingState: expect.stringMatching(/^(partial|complete)$/),
    });
    expect([null, 'caller', 'callee']).toContain(summary?.whoHungUp);
  }, 60_000);
});
