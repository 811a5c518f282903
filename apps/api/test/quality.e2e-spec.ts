import { rowsOf } from '@switchboard/api-data-access-db';
import { QualityRetention } from '@switchboard/api-feature-quality';
import {
  API_ROUTES, WEBHOOK_ROUTES, type ApiErrorBody, type CallRecord, type LineTest, type LineTestsResponse, type Page, type QualityRecordCreated,
  type QualityRecordsResponse,
} from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { callSid, ENGINES, parseTwiml, postWebhook, PUBLIC_BASE_URL, signIn, startApi, type TestApi } from './support';

const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Safari/537.36';
const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** A well-formed record of `sid`: 3 s of samples, one warning, one set-up step. */
function record(sid: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    callSid: sid, direction: 'outbound', startedAt: at(0), endedAt: at(3),
    samples: { firstSampleAt: T0, intervalMs: 1000, mos: [null, 4.4, 4.2], rtt: [40, 41, 42], jitter: [1, 2, 3], packetLossPercent: [0, 0, 5], inputLevel: [0.1, 0.2, 0.3], outputLevel: [0.3, 0.2, 0.1] },
    warnings: [{ name: 'high-jitter', startedAt: at(1), endedAt: at(2) }],
    setup: [{ step: 'invite-to-ringing', at: at(0), durationMs: 850, error: null }],
    media: { codec: 'opus', localCandidateType: 'host', remoteCandidateType: 'relay', networkType: 'wifi', edge: 'roaming', dscp: true, sdkVersion: '2.18.5', inputDeviceLabel: 'Headset', outputDeviceLabel: null },
    ...overrides,
  };
}

const lineTest = (overrides: Record<string, unknown> = {}) => ({
  callSid: callSid(0x7e57), startedAt: at(0), endedAt: at(15), callQuality: 'great', edge: 'roaming',
  mos: { min: 4.1, avg: 4.3, max: 4.4 }, rtt: { min: 20, avg: 25, max: 40 }, jitter: { min: 1, avg: 2, max: 5 }, packetLossPercent: 0,
  timing: { signalingMs: 300, iceMs: 120, dtlsMs: 80, peerConnectionMs: 200 }, warnings: [], error: null, ...overrides,
});

describe.each(ENGINES)('call quality records over HTTP (%s)', (engine) => {
  let api: TestApi;
  let cookies: Record<'alice' | 'bob' | 'sam', string>;
  const phoneCall = callSid(0xa1);
  const agentCall = callSid(0xa2);

  beforeAll(async () => {
    // No retention timer: the spec runs the pass itself.
    api = await startApi(engine, { RETENTION_SWEEP_INTERVAL_SECONDS: '0' });
    cookies = { alice: await signIn(api, 'alice'), bob: await signIn(api, 'bob'), sam: await signIn(api, 'sam') };
    // alice places a phone call and a call to bob: both legs are known to be alice's (From client:alice).
    for (const [sid, To] of [[phoneCall, '+14155550111'], [agentCall, 'bob']]) {
      const answer = await postWebhook(api, WEBHOOK_ROUTES.outgoing, { CallSid: sid, From: 'client:alice', To, AccountSid: api.config.twilio.accountSid });
      expect(parseTwiml(await answer.text())).toHaveProperty('Dial');
    }
  }, 120_000); // a hang guard only: the embedded engine's start is slow on a loaded machine
  afterAll(() => api?.close());

  const send = (method: 'GET' | 'POST' | 'PUT', path: string, cookie: string | null, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { 'user-agent': CHROME_UA, ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const historyCallId = async (sid: string) => {
    const [row] = rowsOf(await api.database.db.execute(sql`SELECT id::text FROM calls WHERE call_sid = ${sid}`)) as Array<{ id: string }>;
    return row.id;
  };

  it('refuses a record without a session (401)', async () => {
    expect((await send('POST', API_ROUTES.quality.records, null, record(phoneCall))).status).toBe(401);
  });

  it.each([
    ['callSid', { callSid: 'CA1234' }],
    ['endedAt', { endedAt: at(-1) }],
    ['samples.jitter', { samples: { ...(record('x')['samples'] as object), jitter: [1, 2] } }],
    ['samples.mos', { samples: { ...(record('x')['samples'] as object), mos: [null, 7, 4] } }],
    ['samples.packetLossPercent', { samples: { ...(record('x')['samples'] as object), packetLossPercent: [0, -1, 0] } }],
    ['warnings[0].name', { warnings: [{ name: 'gremlins', startedAt: at(1), endedAt: null }] }],
    ['setup[0].step', { setup: [{ step: 'dial-tone', at: at(0), durationMs: 1, error: null }] }],
    ['media.inputDeviceLabel', { media: { ...(record('x')['media'] as object), inputDeviceLabel: 'x'.repeat(201) } }],
    ['direction', { direction: 'both' }],
  ])('answers 400 naming %s for a bad record, and stores nothing', async (field, overrides) => {
    const response = await send('POST', API_ROUTES.quality.records, cookies.alice, record(callSid(0xbad), overrides));
    expect(response.status).toBe(400);
    expect(await response.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field });
    expect(rowsOf(await api.database.db.execute(sql`SELECT 1 FROM call_quality_records WHERE call_sid = ${callSid(0xbad)}`))).toHaveLength(0);
  });

  it("stores alice's record of her own leg once (sent as sendBeacon sends it), linked to her history call, with the platform from the User-Agent", async () => {
    // sendBeacon: a text/plain string body, same-origin, with the session cookie.
    const beacon = await send('POST', API_ROUTES.quality.records, cookies.alice, JSON.stringify(record(phoneCall)), {
      'content-type': 'text/plain;charset=UTF-8', origin: PUBLIC_BASE_URL, 'sec-fetch-site': 'same-origin',
    });
    expect(beacon.status).toBe(201);
    const created = await beacon.json() as QualityRecordCreated;
    expect(created).toEqual({ id: expect.any(String), created: true });

    const retry = await send('POST', API_ROUTES.quality.records, cookies.alice, record(phoneCall, { direction: 'inbound' }));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ id: created.id, created: false });
    const rows = rowsOf(await api.database.db.execute(sql`
      SELECT identity, direction, call_id::text AS call_id, band, browser, os, octet_length(samples) AS bytes FROM call_quality_records WHERE call_sid = ${phoneCall}`));
    expect(rows).toEqual([{
      identity: 'alice', direction: 'outbound', call_id: await historyCallId(phoneCall), band: 'poor', browser: 'Chrome', os: 'Linux', bytes: 17 + 24 * 3,
    }]);
  });

  it('refuses a beacon-style text body from another site, and a form body anywhere', async () => {
    const crossSite = await send('POST', API_ROUTES.quality.records, cookies.alice, JSON.stringify(record(callSid(0xc5))), {
      'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.test', 'sec-fetch-site': 'cross-site',
    });
    expect(crossSite.status).toBe(403);
    const form = await send('POST', API_ROUTES.quality.records, cookies.alice, 'callSid=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const elsewhere = await send('POST', API_ROUTES.quality.lineTests, cookies.alice, JSON.stringify(lineTest()), { 'content-type': 'text/plain;charset=UTF-8' });
    expect(elsewhere.status).toBe(415);
  });

  it('accepts 4 h of samples on this route, past the API-wide body limit', async () => {
    const n = 4 * 3600;
    const column = (scale: number, offset = 0) => Array.from({ length: n }, (_, i) => offset + Math.round(((i * 7919) % 1000) / 1000 * scale * 100) / 100);
    const body = record(callSid(0xb16), {
      endedAt: at(n), samples: { firstSampleAt: T0, intervalMs: 1000, mos: column(3.4, 1), rtt: column(400), jitter: column(60), packetLossPercent: column(10), inputLevel: column(1), outputLevel: column(1) },
    });
    expect(JSON.stringify(body).length).toBeGreaterThan(api.config.http.bodyLimitBytes);
    expect((await send('POST', API_ROUTES.quality.records, cookies.bob, body)).status).toBe(201);
    expect((await send('POST', API_ROUTES.quality.registrations, cookies.bob, { setup: [], edge: null, sdkVersion: 'x'.repeat(api.config.http.bodyLimitBytes) })).status).toBe(413);
  });

  it("refuses bob a record of a leg known to be alice's (403), and accepts one of a leg not known yet", async () => {
    const refused = await send('POST', API_ROUTES.quality.records, cookies.bob, record(agentCall));
    expect(refused.status).toBe(403);
    expect(await refused.json() as ApiErrorBody).toMatchObject({ field: 'callSid' });
    expect((await send('POST', API_ROUTES.quality.records, cookies.bob, record(phoneCall))).status).toBe(403);
    expect((await send('POST', API_ROUTES.quality.records, cookies.bob, record(callSid(0xb0b)))).status).toBe(201);
  });

  it('lets alice read her leg of her call with samples decoded; bob (not on it) gets 403, sam every leg, an unknown call 404', async () => {
    const callId = await historyCallId(phoneCall);
    const own = await send('GET', API_ROUTES.quality.forCall(callId), cookies.alice);
    expect(own.status).toBe(200);
    const { records } = await own.json() as QualityRecordsResponse;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      callSid: phoneCall, callId, identity: 'alice', direction: 'outbound', startedAt: at(0), endedAt: at(3),
      summary: { band: 'poor', sampleCount: 3, warningNames: ['high-jitter'], rtt: { min: 40, avg: 41, max: 42 }, secondsPast: { packetLoss: 1 } },
      samples: { firstSampleAt: T0, intervalMs: 1000, mos: [null, expect.closeTo(4.4, 5), expect.closeTo(4.2, 5)], rtt: [40, 41, 42] },
      warnings: [{ name: 'high-jitter', startedAt: at(1), endedAt: at(2) }],
      media: { codec: 'opus', inputDeviceLabel: 'Headset' },
      platform: { browser: 'Chrome', browserVersion: '131.0', os: 'Linux' },
      rating: null,
    });
    expect((await send('GET', API_ROUTES.quality.forCall(callId), cookies.bob)).status).toBe(403);
    const supervisor = await send('GET', API_ROUTES.quality.forCall(callId), cookies.sam);
    expect((await supervisor.json() as QualityRecordsResponse).records.map((r) => r.identity)).toEqual(['alice']);
    expect((await send('GET', API_ROUTES.quality.forCall('00000000-0000-4000-8000-000000000000'), cookies.sam)).status).toBe(404);
    expect((await send('GET', API_ROUTES.quality.forCall('not-a-call'), cookies.alice)).status).toBe(404);
  });

  it("shows the badge of alice's leg on her call in history", async () => {
    const page = await (await send('GET', API_ROUTES.calls.list, cookies.alice)).json() as Page<CallRecord>;
    const byId = new Map(page.items.map((item) => [item.callSid, item]));
    expect(byId.get(phoneCall)?.quality).toEqual({ band: 'poor', avgMos: expect.closeTo(4.3, 4), warningCount: 1 });
    expect(byId.get(agentCall)?.quality).toBeNull();
  });

  it('stores alice\'s rating of her own leg (replacing an earlier one); refuses a bad score, another agent and an unknown leg', async () => {
    expect((await send('PUT', API_ROUTES.quality.rating(phoneCall), cookies.alice, { score: 4, issues: [] })).status).toBe(204);
    expect((await send('PUT', API_ROUTES.quality.rating(phoneCall), cookies.alice, { score: 2, issues: ['echo', 'choppy-audio'] })).status).toBe(204);
    const bad = await send('PUT', API_ROUTES.quality.rating(phoneCall), cookies.alice, { score: 0, issues: [] });
    expect(await bad.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field: 'score' });
    const issue = await send('PUT', API_ROUTES.quality.rating(phoneCall), cookies.alice, { score: 3, issues: ['gremlins'] });
    expect(await issue.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field: 'issues[0]' });
    expect((await send('PUT', API_ROUTES.quality.rating(phoneCall), cookies.bob, { score: 5, issues: [] })).status).toBe(403);
    expect((await send('PUT', API_ROUTES.quality.rating(callSid(0xdead)), cookies.bob, { score: 5, issues: [] })).status).toBe(404);
    // A rating may come before the record: a leg known to be alice's is enough.
    expect((await send('PUT', API_ROUTES.quality.rating(agentCall), cookies.alice, { score: 5, issues: [] })).status).toBe(204);

    const { records } = await (await send('GET', API_ROUTES.quality.forCall(await historyCallId(phoneCall)), cookies.alice)).json() as QualityRecordsResponse;
    expect(records[0].rating).toEqual({ score: 2, issues: ['echo', 'choppy-audio'], at: expect.any(String) });
  });

  it('stores registration timings, refusing a bad step naming it', async () => {
    const ok = { setup: [{ step: 'token', at: at(0), durationMs: 120, error: null }, { step: 'registration', at: at(1), durationMs: null, error: { code: 31005, message: 'Connection error' } }], edge: 'roaming', sdkVersion: '2.18.5' };
    expect((await send('POST', API_ROUTES.quality.registrations, cookies.alice, ok)).status).toBe(204);
    const bad = await send('POST', API_ROUTES.quality.registrations, cookies.alice, { ...ok, setup: [{ step: 'warp', at: at(0), durationMs: 1, error: null }] });
    expect(await bad.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field: 'setup[0].step' });
    const rows = rowsOf(await api.database.db.execute(sql`SELECT identity, edge, browser FROM registration_setups`));
    expect(rows).toEqual([{ identity: 'alice', edge: 'roaming', browser: 'Chrome' }]);
  });

  it("stores line tests with their verdict; an agent reads their own, a supervisor anyone's, an agent not another's", async () => {
    const stored = await send('POST', API_ROUTES.quality.lineTests, cookies.alice, lineTest());
    expect(stored.status).toBe(201);
    expect(await stored.json() as LineTest).toMatchObject({ identity: 'alice', verdict: 'excellent', platform: { browser: 'Chrome' } });
    await send('POST', API_ROUTES.quality.lineTests, cookies.alice, lineTest({ callSid: null, startedAt: at(60), endedAt: at(70), callQuality: null, error: { code: 31000, message: 'failed' } }));
    const bad = await send('POST', API_ROUTES.quality.lineTests, cookies.alice, lineTest({ callQuality: 'superb' }));
    expect(await bad.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field: 'callQuality' });

    const own = await (await send('GET', API_ROUTES.quality.lineTests, cookies.alice)).json() as LineTestsResponse;
    expect(own.lineTests.map((test) => test.verdict)).toEqual(['poor', 'excellent']);
    const bySupervisor = await (await send('GET', `${API_ROUTES.quality.lineTests}?identity=alice`, cookies.sam)).json() as LineTestsResponse;
    expect(bySupervisor.lineTests).toHaveLength(2);
    expect((await send('GET', `${API_ROUTES.quality.lineTests}?identity=alice`, cookies.bob)).status).toBe(403);
    expect(((await (await send('GET', API_ROUTES.quality.lineTests, cookies.bob)).json()) as LineTestsResponse).lineTests).toEqual([]);
  });

  it('scope=team: a supervisor reads each agent’s newest line test in one answer; an agent is refused; a bad scope is a 400 naming it', async () => {
    // Bob: an older excellent test, then a newer failed one; only the newer one is his latest.
    await send('POST', API_ROUTES.quality.lineTests, cookies.bob, lineTest({ startedAt: at(100), endedAt: at(110) }));
    await send('POST', API_ROUTES.quality.lineTests, cookies.bob, lineTest({ callSid: null, startedAt: at(200), endedAt: at(210), callQuality: null, error: { code: 31000, message: 'failed' } }));
    const team = await send('GET', `${API_ROUTES.quality.lineTests}?scope=team`, cookies.sam);
    expect(team.status).toBe(200);
    const latest = ((await team.json()) as LineTestsResponse).lineTests;
    expect(new Set(latest.map((test) => test.identity)).size).toBe(latest.length); // one per agent
    expect(latest.find((test) => test.identity === 'bob')).toMatchObject({ endedAt: at(210), verdict: 'poor', error: { code: 31000 } });
    const alice = ((await (await send('GET', API_ROUTES.quality.lineTests, cookies.alice)).json()) as LineTestsResponse).lineTests;
    expect(latest.find((test) => test.identity === 'alice')?.id).toBe(alice[0]?.id);

    const byAgent = await send('GET', `${API_ROUTES.quality.lineTests}?scope=team`, cookies.bob);
    expect(byAgent.status).toBe(403);
    expect(await byAgent.json() as ApiErrorBody).toMatchObject({ field: 'scope' });
    const badScope = await send('GET', `${API_ROUTES.quality.lineTests}?scope=everyone`, cookies.sam);
    expect(await badScope.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field: 'scope' });
    const both = await send('GET', `${API_ROUTES.quality.lineTests}?scope=team&identity=bob`, cookies.sam);
    expect(await both.json() as ApiErrorBody).toMatchObject({ statusCode: 400, field: 'scope' });
  });

  it('answers the SDK\'s preflight call (no To, no Switchboard* parameter) with the line test, and never makes it a call, callbacks included', async () => {
    const sid = callSid(0x9f11);
    const before = rowsOf(await api.database.db.execute(sql`SELECT count(*)::int AS n FROM calls`)) as Array<{ n: number }>;
    const answer = await postWebhook(api, WEBHOOK_ROUTES.outgoing, { CallSid: sid, From: 'client:alice', AccountSid: api.config.twilio.accountSid });
    expect(answer.status).toBe(200);
    const twiml = parseTwiml(await answer.text());
    expect(twiml).toEqual({ Say: [expect.stringContaining('line test')], Pause: { '@length': '10' }, Hangup: '' });
    for (const [status, sequence] of [['ringing', '1'], ['in-progress', '2'], ['completed', '3']]) {
      const callback = await postWebhook(api, WEBHOOK_ROUTES.status, {
        CallSid: sid, CallStatus: status, SequenceNumber: sequence, From: 'client:alice', Direction: 'inbound', AccountSid: api.config.twilio.accountSid,
      });
      expect(callback.status).toBe(204);
    }
    const after = rowsOf(await api.database.db.execute(sql`SELECT count(*)::int AS n FROM calls`)) as Array<{ n: number }>;
    expect(after).toEqual(before);
    expect(rowsOf(await api.database.db.execute(sql`SELECT 1 FROM calls WHERE call_sid = ${sid}`))).toHaveLength(0);
  });

  it('deletes quality rows older than QUALITY_RETENTION_DAYS and keeps newer ones', async () => {
    const old = new Date(Date.now() - (api.config.quality.retentionDays + 1) * 86_400_000).toISOString();
    const oldSid = callSid(0x01d);
    await api.database.db.execute(sql`
      INSERT INTO call_quality_records (call_sid, identity, direction, started_at, ended_at, band, sample_count, seconds_past_mos, seconds_past_rtt,
        seconds_past_jitter, seconds_past_loss, samples, warnings, setup, dscp, sdk_version)
      VALUES (${oldSid}, 'alice', 'inbound', ${old}::timestamptz, ${old}::timestamptz, 'good', 0, 0, 0, 0, 0, ${Buffer.from([1])}, '[]'::jsonb, '[]'::jsonb, false, '2.18.5')`);
    await api.database.db.execute(sql`INSERT INTO call_quality_ratings (call_sid, identity, score, at) VALUES (${oldSid}, 'alice', 3, ${old}::timestamptz)`);
    await api.database.db.execute(sql`INSERT INTO registration_setups (identity, at, setup, sdk_version) VALUES ('alice', ${old}::timestamptz, '[]'::jsonb, '2.18.5')`);
    await api.database.db.execute(sql`
      INSERT INTO line_tests (identity, started_at, ended_at, verdict, result) VALUES ('alice', ${old}::timestamptz, ${old}::timestamptz, 'good', '{}'::jsonb)`);
    const counts = async () => rowsOf(await api.database.db.execute(sql`SELECT
      (SELECT count(*)::int FROM call_quality_records) AS records, (SELECT count(*)::int FROM call_quality_ratings) AS ratings,
      (SELECT count(*)::int FROM registration_setups) AS registrations, (SELECT count(*)::int FROM line_tests) AS line_tests`))[0];
    const before = await counts() as Record<string, number>;

    await api.app.get(QualityRetention).tick();

    expect(await counts()).toEqual({
      records: before['records'] - 1, ratings: before['ratings'] - 1, registrations: before['registrations'] - 1, line_tests: before['line_tests'] - 1,
    });
    expect(rowsOf(await api.database.db.execute(sql`SELECT 1 FROM call_quality_records WHERE call_sid = ${oldSid}`))).toHaveLength(0);
    expect(rowsOf(await api.database.db.execute(sql`SELECT 1 FROM call_quality_records WHERE call_sid = ${phoneCall}`))).toHaveLength(1);
  });
});
