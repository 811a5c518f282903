import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { getExpectedTwilioSignature } from 'twilio';
import { callSid, countRows, ENGINES, parseTwiml, postWebhook, PUBLIC_BASE_URL, recordingSid, startApi, type TestApi } from './support';
import { fakeTelephony, type FakeTelephony } from './support/dialled';

const ACCOUNT = SANDBOX_CREDENTIALS.accountSid;
const REST = 'https://127.0.0.1:8443';

/**
 * The webhooks' TwiML, signatures and callbacks. Pinned to CUSTOMER_CALL_ANCHOR=direct: these tests check
 * the bridged `<Dial><Number>` / `<Dial><Client>` TwiML exactly, which accounts without conferences still
 * get; the default conference anchor's TwiML is checked at the end of this file.
 */
describe.each(ENGINES)('Twilio webhooks, CUSTOMER_CALL_ANCHOR=direct (%s)', (engine) => {
  let api: TestApi;
  // Starting an app (engine, migrations, seed) can take over a minute on two shared, busy cores.
  beforeAll(async () => { api = await startApi(engine, { DIAL_TIMEOUT_SECONDS: '25', CUSTOMER_CALL_ANCHOR: 'direct' }); }, 120_000);
  afterAll(() => api?.close());

  let sidCounter = 1;
  const nextSid = () => callSid(sidCounter++);
  const outgoing = (to: string, from = 'client:alice') => ({ CallSid: nextSid(), AccountSid: ACCOUNT, From: from, To: to, CallStatus: 'ringing', Direction: 'inbound' });
  const twimlOf = async (response: Response) => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    return parseTwiml(await response.text());
  };
  const says = (twiml: Record<string, any>) => (twiml['Say'] ?? []).map((s: unknown) => (typeof s === 'string' ? s : (s as Record<string, string>)['#text']));

  describe('signature', () => {
    const allRoutes = Object.values(WEBHOOK_ROUTES);
    const validParams = (sid: string) => ({
      CallSid: sid, AccountSid: ACCOUNT, From: SANDBOX_NUMBERS.customer, To: SANDBOX_NUMBERS.support, CallStatus: 'completed',
      DialCallStatus: 'no-answer', RecordingSid: recordingSid(999), RecordingUrl: `${REST}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${recordingSid(999)}`,
      RecordingStatus: 'completed', RecordingDuration: '7',
    });

    it('refuses a missing or forged X-Twilio-Signature on every webhook with 403 and writes nothing', async () => {
      const before = await Promise.all((['calls', 'call_events', 'voicemails', 'call_participants'] as const).map((t) => countRows(api, t)));
      for (const route of allRoutes) {
        const params = validParams(nextSid());
        const url = `${PUBLIC_BASE_URL}${route}`;
        const genuine = getExpectedTwilioSignature(SANDBOX_CREDENTIALS.authToken, url, params);
        const forgeries: Array<[string, Parameters<typeof postWebhook>[3]]> = [
          ['missing', { signature: null }],
          ['empty', { signature: '' }],
          ['random', { signature: 'dGhpcyBpcyBub3QgYSBzaWduYXR1cmU=' }],
          ['wrong key', { signature: getExpectedTwilioSignature('0'.repeat(32), url, params) }],
          ['other host', { signedUrl: `https://evil.test${route}` }],
          ['http scheme', { signedUrl: `http://switchboard.test${route}` }],
          ['other path', { signedUrl: `${PUBLIC_BASE_URL}/webhooks/voice/other` }],
          ['changed param', { signedParams: { ...params, To: '+14155550111' } }],
          ['param removed', { signedParams: withoutKey(params, 'From') }],
          ['hex instead of base64', { signature: Buffer.from(genuine, 'base64').toString('hex') }],
          ['another request\'s signature', { signature: getExpectedTwilioSignature(SANDBOX_CREDENTIALS.authToken, url, { ...params, CallSid: callSid(424242) }) }],
        ];
        for (const [name, options] of forgeries) {
          const response = await postWebhook(api, route, params, options);
          expect({ route, name, status: response.status }).toEqual({ route, name, status: 403 });
        }
        const added = await postWebhook(api, route, { ...params, Injected: 'x' }, { signedParams: params });
        expect({ route, status: added.status }).toEqual({ route, status: 403 });
      }
      const after = await Promise.all((['calls', 'call_events', 'voicemails', 'call_participants'] as const).map((t) => countRows(api, t)));
      expect(after).toEqual(before);
    });

    it('accepts a genuine request that carries parameters it does not know (signed as received)', async () => {
      const params = { ...outgoing('client:bob'), NewTwilioParam: 'x', 'Weird Key': 'a&b=c' };
      expect((await postWebhook(api, WEBHOOK_ROUTES.outgoing, params)).status).toBe(200);
    });
  });

  describe('outgoing calls', () => {
    it('dials another agent as <Client> with answerOnBridge, a timeout and the dial-complete action', async () => {
      for (const to of ['client:bob', 'bob']) {
        const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.outgoing, outgoing(to)));
        expect(twiml['Dial']).toEqual({
          '@answerOnBridge': 'true', '@timeout': '25', '@method': 'POST',
          '@action': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.dialComplete}`,
          Client: ['bob'],
        });
        expect(twiml['Hangup']).toBeUndefined();
      }
    });

    it('rejects the caller when the agent called declines (busy); other unanswered ends go to voicemail', async () => {
      const dialled = outgoing('client:bob');
      await postWebhook(api, WEBHOOK_ROUTES.outgoing, dialled);
      const declined = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.dialComplete, { ...dialled, DialCallStatus: 'busy' }));
      expect(declined).toEqual({ Reject: { '@reason': 'rejected' } });
      for (const status of ['no-answer', 'failed', 'canceled']) {
        const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.dialComplete, { ...dialled, DialCallStatus: status }));
        expect({ status, reject: twiml['Reject'] }).toEqual({ status, reject: undefined });
        expect(says(twiml)[0]).toMatch(/leave a message/);
        expect(twiml['Record']).toBeDefined();
      }
    });

    it('a busy phone number dialled by an agent is not rejected as declined', async () => {
      const dialled = outgoing('+14155550122');
      await postWebhook(api, WEBHOOK_ROUTES.outgoing, dialled);
      const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.dialComplete, { ...dialled, DialCallStatus: 'busy' }));
      expect(twiml['Reject']).toBeUndefined();
      expect(says(twiml)[0]).toMatch(/could not be completed/);
      expect('Hangup' in twiml).toBe(true);
    });

    it('dials an allowed phone number in E.164 with our caller ID and status callbacks', async () => {
      const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.outgoing, outgoing('+1 (415) 555-0111')));
      expect(twiml['Dial']).toEqual({
        '@callerId': SANDBOX_NUMBERS.callerId, '@answerOnBridge': 'true', '@timeout': '25', '@method': 'POST', '@timeLimit': '3600',
        '@action': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.dialComplete}`,
        Number: [{
          '#text': '+14155550111',
          '@statusCallback': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.status}`,
          '@statusCallbackMethod': 'POST',
          '@statusCallbackEvent': 'initiated ringing answered completed',
        }],
      });
    });

    it('never emits <Dial> for premium, shared-cost, disallowed-country, malformed or unknown destinations', async () => {
      const refused = [
        '+19005550123', '+19765550123', '+448712345678', '+449090901234', '+448431234567', '+441134960000x',
        '+33140000000', '+5511987654321', '+881612345678', '+80012345678', '+4470 1234 5678', '0044 20 7946 0000',
        '00441134960000', '*6714155550111', '911', '411', '14155550111', '+', '+0123456', '+1415555011112345678',
        'sip:alice@example.com', 'client:../x', 'client:<b>&amp;', 'client:', 'client:nobody', 'nobody', 'client:alice',
        '<Dial>+14155550111</Dial>', 'x'.repeat(600), '\u0000+14155550111', '+1 415 555 0111\u202e', '😀', ' ',
      ];
      for (const to of refused) {
        const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.outgoing, outgoing(to)));
        expect({ to, dial: twiml['Dial'] }).toEqual({ to, dial: undefined });
        expect({ to, hangup: 'Hangup' in twiml }).toEqual({ to, hangup: true });
        expect(says(twiml)[0]).toEqual(expect.any(String));
      }
    });

    it('refuses callers that are not enabled agents, and bad CallSids, without a <Dial>', async () => {
      for (const params of [
        outgoing('client:bob', 'client:mallory'), outgoing('client:bob', '+14155550150'), outgoing('client:bob', 'alice'),
        { ...outgoing('client:bob'), CallSid: 'CA123' }, { ...outgoing('client:bob'), CallSid: undefined as unknown as string },
      ]) {
        const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.outgoing, clean));
        expect(twiml['Dial']).toBeUndefined();
        expect('Hangup' in twiml).toBe(true);
      }
    });

    it('answers a repeated To (ambiguous) with a refusal, not a <Dial> and not a 500', async () => {
      const body = new URLSearchParams([['CallSid', nextSid()], ['From', 'client:alice'], ['To', '+14155550111'], ['To', '+19005550123']]);
      const url = `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.outgoing}`;
      const signature = getExpectedTwilioSignature(SANDBOX_CREDENTIALS.authToken, url, { CallSid: body.get('CallSid'), From: 'client:alice', To: ['+14155550111', '+19005550123'] });
      const response = await fetch(`${api.url}${WEBHOOK_ROUTES.outgoing}`, { method: 'POST', body, headers: { 'X-Twilio-Signature': signature } });
      const twiml = await twimlOf(response);
      expect(twiml['Dial']).toBeUndefined();
    });
  });

  describe('incoming calls, no answer and voicemail', () => {
    const incoming = (sid: string, to: string = SANDBOX_NUMBERS.support) => ({ CallSid: sid, AccountSid: ACCOUNT, From: SANDBOX_NUMBERS.customer, To: to, CallStatus: 'ringing', Direction: 'inbound' });

    it('rings the support ring group with a timeout and the dial-complete action', async () => {
      const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.incoming, incoming(nextSid())));
      expect(twiml['Dial']).toEqual({
        '@answerOnBridge': 'true', '@timeout': '25', '@method': 'POST',
        '@action': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.dialComplete}`,
        Client: ['bob'],
      });
    });

    it('tells callers of an unrouted or malformed number that it is not in service', async () => {
      for (const to of ['+14155550177', 'not-a-number', '']) {
        const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.incoming, incoming(nextSid(), to)));
        expect(twiml['Dial']).toBeUndefined();
        expect(says(twiml)[0]).toMatch(/not in service/);
      }
    });

    it('hangs up after an answered dial and records voicemail after no-answer, busy, failed and canceled', async () => {
      const sid = nextSid();
      await postWebhook(api, WEBHOOK_ROUTES.incoming, incoming(sid));
      const completed = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.dialComplete, { ...incoming(sid), DialCallStatus: 'completed' }));
      expect(completed).toEqual({ Hangup: '' });
      for (const status of ['no-answer', 'busy', 'failed', 'canceled', 'garbage']) {
        const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.dialComplete, { ...incoming(sid), DialCallStatus: status }));
        expect(twiml['Reject']).toBeUndefined();
        expect(says(twiml)[0]).toMatch(/leave a message/);
        expect(twiml['Record']).toEqual({
          '@maxLength': '120', '@playBeep': 'true', '@timeout': '5', '@finishOnKey': '#', '@method': 'POST',
          '@action': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.voicemailComplete}`,
          '@recordingStatusCallback': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.recordingStatus}`,
          '@recordingStatusCallbackMethod': 'POST',
          '@recordingStatusCallbackEvent': 'completed absent',
        });
      }
    });

    it('stores a voicemail once however often its recording callback arrives, for the group rung', async () => {
      const sid = nextSid();
      await postWebhook(api, WEBHOOK_ROUTES.incoming, incoming(sid));
      const params = {
        AccountSid: ACCOUNT, CallSid: sid, RecordingSid: recordingSid(sidCounter), RecordingStatus: 'completed', RecordingDuration: '9',
        RecordingUrl: `${REST}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${recordingSid(sidCounter)}`,
      };
      const before = await countRows(api, 'voicemails');
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await postWebhook(api, WEBHOOK_ROUTES.recordingStatus, params)).status);
      expect(statuses).toEqual([204, 204, 204]);
      expect(await countRows(api, 'voicemails')).toBe(before + 1);
      expect(await api.database.db.query.voicemails.findFirst({ where: (v, { eq }) => eq(v.recordingSid, params.RecordingSid) }))
        .toMatchObject({ callSid: sid, calledTarget: 'group:support', durationSeconds: 9, fromNumber: SANDBOX_NUMBERS.customer, heard: false });
    });

    it('refuses recording callbacks with a URL off the REST origin or malformed SIDs, writing nothing', async () => {
      const sid = nextSid();
      await postWebhook(api, WEBHOOK_ROUTES.incoming, incoming(sid));
      const base = { AccountSid: ACCOUNT, CallSid: sid, RecordingSid: recordingSid(5000), RecordingStatus: 'completed', RecordingDuration: '3', RecordingUrl: `${REST}/r` };
      const before = await countRows(api, 'voicemails');
      for (const [field, value] of [
        ['RecordingUrl', 'http://169.254.169.254/latest/meta-data'], ['RecordingUrl', 'https://127.0.0.1:8443@evil.test/x'],
        ['RecordingSid', 'RE123'], ['CallSid', 'not-a-sid'], ['RecordingDuration', '-1'],
      ]) {
        const response = await postWebhook(api, WEBHOOK_ROUTES.recordingStatus, { ...base, [field]: value });
        expect({ field, status: response.status }).toEqual({ field, status: 400 });
        expect(await response.json()).toMatchObject({ field });
      }
      expect(await countRows(api, 'voicemails')).toBe(before);
    });

    it('thanks the caller after the recording', async () => {
      const twiml = await twimlOf(await postWebhook(api, WEBHOOK_ROUTES.voicemailComplete, { CallSid: nextSid(), AccountSid: ACCOUNT }));
      expect(says(twiml)[0]).toMatch(/Thank you/);
      expect('Hangup' in twiml).toBe(true);
    });
  });

  describe('status callbacks', () => {
    const events = (sid: string): Array<Record<string, string>> => ([
      { CallStatus: 'initiated', SequenceNumber: '0', Timestamp: 'Tue, 24 Nov 2026 10:00:00 +0000' },
      { CallStatus: 'ringing', SequenceNumber: '1', Timestamp: 'Tue, 24 Nov 2026 10:00:01 +0000' },
      { CallStatus: 'in-progress', SequenceNumber: '2', Timestamp: 'Tue, 24 Nov 2026 10:00:05 +0000' },
      { CallStatus: 'completed', SequenceNumber: '3', Timestamp: 'Tue, 24 Nov 2026 10:01:05 +0000', CallDuration: '60' },
    ] as Array<Record<string, string>>).map((e) => ({ ...e, CallSid: sid, AccountSid: ACCOUNT, From: SANDBOX_NUMBERS.callerId, To: '+14155550111', Direction: 'outbound-dial' }));

    /** Deterministic shuffles (seeded), so a failure can be replayed. */
    function shuffled<T>(items: readonly T[], seed: number): T[] {
      const out = [...items];
      let state = seed;
      for (let i = out.length - 1; i > 0; i--) {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        const j = state % (i + 1);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }

    it('gives the same final call record for shuffled, duplicated deliveries', async () => {
      const records = [];
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const sid = nextSid();
        const deliveries = shuffled([...events(sid), ...events(sid)], seed);
        for (const params of deliveries) expect((await postWebhook(api, WEBHOOK_ROUTES.status, params)).status).toBe(204);
        const record = await api.database.db.query.calls.findFirst({ where: (c, { eq }) => eq(c.callSid, sid) });
        expect(await api.database.db.query.callEvents.findMany({ where: (e, { eq }) => eq(e.callSid, sid) })).toHaveLength(4);
        const { id: _id, callSid: _sid, ...rest } = record as Record<string, unknown>;
        records.push(rest);
      }
      expect(records[0]).toEqual({
        direction: 'outbound', fromNumber: SANDBOX_NUMBERS.callerId, toNumber: '+14155550111', voicemailTarget: null,
        status: 'completed', statusRank: 4, durationSeconds: 60,
        startedAt: new Date('2026-11-24T10:00:00Z'), endedAt: new Date('2026-11-24T10:01:05Z'),
      });
      for (const record of records) expect(record).toEqual(records[0]);
    });

    it('never reopens a finished call, and stores unknown statuses without moving the call', async () => {
      const sid = nextSid();
      const [, , answered, completed] = events(sid);
      await postWebhook(api, WEBHOOK_ROUTES.status, completed);
      await postWebhook(api, WEBHOOK_ROUTES.status, answered);
      expect((await postWebhook(api, WEBHOOK_ROUTES.status, { ...answered, CallStatus: 'teleported', SequenceNumber: '9' })).status).toBe(204);
      const record = await api.database.db.query.calls.findFirst({ where: (c, { eq }) => eq(c.callSid, sid) });
      expect(record).toMatchObject({ status: 'completed', durationSeconds: 60 });
      expect(await api.database.db.query.callEvents.findMany({ where: (e, { eq }) => eq(e.callSid, sid) })).toHaveLength(3);
    });

    it('stores one event for concurrent duplicates', async () => {
      const sid = nextSid();
      const [initiated] = events(sid);
      const statuses = await Promise.all(Array.from({ length: 10 }, () => postWebhook(api, WEBHOOK_ROUTES.status, initiated).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([204]));
      expect(await api.database.db.query.callEvents.findMany({ where: (e, { eq }) => eq(e.callSid, sid) })).toHaveLength(1);
    });

    it('answers 400 naming the field for malformed callbacks and writes nothing', async () => {
      const before = await countRows(api, 'call_events');
      const [initiated] = events(nextSid());
      for (const [field, value] of [['CallSid', 'CA00'], ['CallStatus', 'DROP TABLE'], ['SequenceNumber', '1e9'], ['CallDuration', 'ten']]) {
        const response = await postWebhook(api, WEBHOOK_ROUTES.status, { ...initiated, [field]: value });
        expect({ field, status: response.status }).toEqual({ field, status: 400 });
        expect(await response.json()).toMatchObject({ statusCode: 400, field });
      }
      expect(await countRows(api, 'call_events')).toBe(before);
    });
  });
});

/** The same calls with the default anchor: the caller's leg joins a conference, the other side is added over REST. */
describe.each(ENGINES)('Twilio webhooks, default CUSTOMER_CALL_ANCHOR=conference (%s)', (engine) => {
  let api: TestApi;
  let telephony: FakeTelephony;
  beforeAll(async () => {
    api = await startApi(engine, { DIAL_TIMEOUT_SECONDS: '25' });
    telephony = fakeTelephony(api);
  }, 120_000);
  afterAll(() => api?.close());

  const conferenceOf = (sid: string, label: string, extra: Record<string, string>) => ({
    '#text': `sb-${sid}`, '@participantLabel': label, '@beep': 'false', ...extra,
    '@statusCallback': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.conferenceStatus}`, '@statusCallbackMethod': 'POST',
    '@statusCallbackEvent': 'start end join leave mute hold',
  });
  const post = async (route: string, params: Record<string, string>) => {
    const response = await postWebhook(api, route, params);
    expect(response.status).toBe(200);
    return parseTwiml(await response.text());
  };

  it('puts a caller to the support group in their own conference and rings bob into it over REST', async () => {
    const sid = callSid(0x9_0001);
    const twiml = await post(WEBHOOK_ROUTES.incoming, { CallSid: sid, AccountSid: ACCOUNT, From: SANDBOX_NUMBERS.customer, To: SANDBOX_NUMBERS.support, CallStatus: 'ringing', Direction: 'inbound' });
    expect(twiml['Dial']).toEqual({
      '@method': 'POST', '@action': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.dialComplete}?anchor=exit`,
      Conference: conferenceOf(sid, 'customer', { '@startConferenceOnEnter': 'false', '@endConferenceOnExit': 'true' }),
    });
    expect((await telephony.addedTo(`sb-${sid}`)).map((p) => ({ to: p.to, from: p.from, label: p.label, timeoutSeconds: p.timeoutSeconds })))
      .toEqual([{ to: 'client:bob', from: SANDBOX_NUMBERS.customer, label: 'client:bob', timeoutSeconds: 25 }]);
  });

  it('puts an agent calling an allowed number in their own conference (with the time limit) and dials the number into it with our caller ID', async () => {
    const sid = callSid(0x9_0002);
    const twiml = await post(WEBHOOK_ROUTES.outgoing, { CallSid: sid, AccountSid: ACCOUNT, From: 'client:alice', To: '+1 (415) 555-0111', CallStatus: 'ringing', Direction: 'inbound' });
    expect(twiml['Dial']).toEqual({
      '@method': 'POST', '@timeLimit': '3600', '@action': `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.dialComplete}?anchor=outbound-exit`,
      Conference: conferenceOf(sid, 'client:alice', { '@startConferenceOnEnter': 'true', '@endConferenceOnExit': 'false' }),
    });
    expect((await telephony.addedTo(`sb-${sid}`)).map((p) => ({ to: p.to, from: p.from, label: p.label, timeoutSeconds: p.timeoutSeconds })))
      .toEqual([{ to: '+14155550111', from: SANDBOX_NUMBERS.callerId, label: 'customer', timeoutSeconds: 25 }]);
  });

  it('still calls another agent directly, and opens no conference for a refused number', async () => {
    const toBob = await post(WEBHOOK_ROUTES.outgoing, { CallSid: callSid(0x9_0003), AccountSid: ACCOUNT, From: 'client:alice', To: 'client:bob', CallStatus: 'ringing', Direction: 'inbound' });
    expect(toBob['Dial']).toMatchObject({ Client: ['bob'] });
    const refused = await post(WEBHOOK_ROUTES.outgoing, { CallSid: callSid(0x9_0004), AccountSid: ACCOUNT, From: 'client:alice', To: '+19005550123', CallStatus: 'ringing', Direction: 'inbound' });
    expect(refused['Dial']).toBeUndefined();
    // Added after their TwiML was answered: the earlier tests awaited theirs; neither of these added one.
    await post(WEBHOOK_ROUTES.outgoing, { CallSid: callSid(0x9_0005), AccountSid: ACCOUNT, From: 'client:bob', To: '+14155550122', CallStatus: 'ringing', Direction: 'inbound' });
    await telephony.addedTo(`sb-${callSid(0x9_0005)}`);
    expect(telephony.added.map((p) => p.to)).toEqual(['client:bob', '+14155550111', '+14155550122']);
  });
});

function withoutKey(params: Record<string, string>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => name !== key));
}
