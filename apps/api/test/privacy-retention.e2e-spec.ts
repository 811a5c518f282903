import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { rowsOf } from '@switchboard/api-data-access-db';
import { RetentionSweeper } from '@switchboard/api-feature-voicemail';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { callSid, ENGINES, recordingSid, signIn, startApi, type TestApi } from './support';

const DAY_MS = 86_400_000;

/**
 * Issue 10 item 6 against the whole app: the retention sweep (sessions, call-event payloads, voicemails
 * and their recordings through the REST API) and phone numbers and identities kept out of error logs.
 * TWILIO_API_BASE_URL points at a local HTTP server that answers DELETE Recordings/{sid} as the
 * provider would (the voice sandbox does not serve that route yet) and remembers what it was asked.
 */
describe.each(ENGINES)('Privacy and retention (%s)', (engine) => {
  const deletes: string[] = [];
  const providerAnswers = new Map<string, number>([[recordingSid(0xa1), 204], [recordingSid(0xa2), 404], [recordingSid(0xa3), 500]]);
  let rest: Server;
  let api: TestApi;

  beforeAll(async () => {
    rest = createServer((req, res) => {
      const sid = /\/Recordings\/(RE[0-9a-f]{32})\.json$/.exec(req.url ?? '')?.[1] ?? '';
      if (req.method === 'DELETE') deletes.push(sid);
      const status = providerAnswers.get(sid) ?? 404;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 204 ? undefined : JSON.stringify({ status }));
    });
    rest.listen(0, '127.0.0.1');
    await once(rest, 'listening');
    api = await startApi(engine, {
      TWILIO_API_BASE_URL: `http://127.0.0.1:${(rest.address() as AddressInfo).port}`,
      CALL_EVENT_PAYLOAD_RETENTION_DAYS: '7',
      VOICEMAIL_RETENTION_DAYS: '30',
    });
  }, 240_000); // a hang guard only: on a loaded two-core machine the app's start alone can take a minute
  afterAll(async () => {
    await api?.close();
    await new Promise<void>((resolve) => rest.close(() => resolve()));
  });

  const run = (query: ReturnType<typeof sql>) => api.database.db.execute(query).then(rowsOf);
  const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

  it('purges expired sessions, old call-event payloads and old voicemails with their recordings; keeps the rest', async () => {
    const sweeper = api.app.get(RetentionSweeper);
    await sweeper.sweep(); // the sweep the app started on its own has run: from here on only ours
    const cookie = await signIn(api, 'alice');
    await run(sql`INSERT INTO sessions (token_hash, agent_id, expires_at)
      SELECT 'expired-session', id, ${daysAgo(1)}::timestamptz FROM agents WHERE identity = 'alice'`);
    await run(sql`INSERT INTO call_events (call_sid, call_status, sequence_number, payload, received_at) VALUES
      (${callSid(0xe1)}, 'completed', '3', '{"From":"+14155550111"}'::jsonb, ${daysAgo(8)}::timestamptz),
      (${callSid(0xe2)}, 'completed', '3', '{"From":"+14155550122"}'::jsonb, ${daysAgo(6)}::timestamptz)`);
    for (const [n, age] of [[0xa1, 31], [0xa2, 40], [0xa3, 35], [0xa4, 29]] as const) {
      await run(sql`INSERT INTO voicemails (recording_sid, call_sid, recording_url, from_number, called_target, duration_seconds, received_at)
        VALUES (${recordingSid(n)}, ${callSid(n)}, ${`https://example.test/${recordingSid(n)}`}, '+14155550188', 'agent:alice', 5, ${daysAgo(age)}::timestamptz)`);
    }

    expect(await sweeper.sweep()).toEqual({ callEventPayloadsCleared: 1, voicemailsDeleted: 2, voicemailsKept: 1, outboundRefusalsDeleted: 0, signInFailuresDeleted: 0 });

    expect(await run(sql`SELECT token_hash FROM sessions WHERE token_hash = 'expired-session'`)).toEqual([]);
    const me = await fetch(`${api.url}${API_ROUTES.auth.me}`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await run(sql`SELECT call_sid, payload FROM call_events WHERE call_sid IN (${callSid(0xe1)}, ${callSid(0xe2)}) ORDER BY call_sid`)).toEqual([
      { call_sid: callSid(0xe1), payload: {} },
      { call_sid: callSid(0xe2), payload: { From: '+14155550122' } },
    ]);
    // Oldest first; the recording the provider could not delete keeps its voicemail for the next sweep.
    expect(deletes).toEqual([recordingSid(0xa2), recordingSid(0xa3), recordingSid(0xa1)]);
    expect(await run(sql`SELECT recording_sid FROM voicemails WHERE recording_sid LIKE 'RE%' AND call_sid IN
      (${callSid(0xa1)}, ${callSid(0xa2)}, ${callSid(0xa3)}, ${callSid(0xa4)}) ORDER BY recording_sid`))
      .toEqual([{ recording_sid: recordingSid(0xa3) }, { recording_sid: recordingSid(0xa4) }]);

    // A second sweep (or another instance's) repeats nothing that already succeeded.
    deletes.length = 0;
    expect(await sweeper.sweep()).toEqual({ callEventPayloadsCleared: 0, voicemailsDeleted: 0, voicemailsKept: 1, outboundRefusalsDeleted: 0, signInFailuresDeleted: 0 });
    expect(deletes).toEqual([recordingSid(0xa3)]);
  });

  it('keeps phone numbers, identities and SQL parameters of a database error out of the log', async () => {
    // A real driver error: a second route for a number already routed (unique key), as any repository would hit it.
    const failure = await api.database.db.execute(sql`
      INSERT INTO inbound_routes (number, target_kind, target) VALUES (${'+14155550166'}, 'agent', ${'alice'}),
        (${'+14155550166'}, 'agent', ${'alice'})`).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect(`${(failure as Error).message} ${String((failure as { cause?: { detail?: string } }).cause?.detail)}`).toMatch(/\+14155550166/);

    const before = api.logLines.length;
    const logger = new Logger('PrivacyCheck');
    // The ways the API logs failures: Nest's logger with a message or a stack, and pino with the error object.
    logger.error(`TwiML webhook failed: ${(failure as Error).message}`);
    logger.error((failure as Error).stack, 'ApiExceptionFilter');
    logger.warn(`Outgoing call by client:alice to +1 415 555 0166 failed`);
    api.app.getHttpAdapter().getInstance().log.error({ err: failure, to: '+14155550166' }, 'query failed');
    const written = api.logLines.slice(before);

    const text = written.join('\n');
    for (const message of ['TwiML webhook failed', 'Failed query', 'Outgoing call by', 'query failed']) expect(text).toContain(message);
    expect(text).not.toMatch(/555.?0166|alice/);
    expect(text).toContain('params: [redacted]');
    expect(text).toContain('client:[identity]');
    expect(text).toContain('[phone]');
  });
});
