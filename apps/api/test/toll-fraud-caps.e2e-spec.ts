import { rowsOf } from '@switchboard/api-data-access-db';
import { SPOKEN_CAP_REFUSALS } from '@switchboard/api-feature-twiml';
import { API_ROUTES, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { callSid, ENGINES, parseTwiml, postWebhook, signIn, startApi, type TestApi } from './support';
import { dialOf, fakeTelephony, type FakeTelephony, type TwimlDial } from './support/dialled';

/**
 * Toll-fraud caps (issue 10 item 5) over real HTTP with signed webhooks. One app per engine; the tests
 * run in order and share its counters: alice tests the active-call and hourly caps, bob the race, sam
 * the daily cap (which counts everyone's calls). With the default CUSTOMER_CALL_ANCHOR=conference a phone
 * call is dialled as the agent's `<Dial><Conference>` plus the number added to it over REST (FakeTelephony
 * records that side); a refused one gets neither.
 */
describe.each(ENGINES)('Outgoing phone-call caps (%s)', (engine) => {
  const CAPS = { OUTBOUND_CALL_TIME_LIMIT_SECONDS: '600', OUTBOUND_ACTIVE_CALLS_PER_AGENT: '1', OUTBOUND_CALLS_PER_AGENT_PER_HOUR: '3', OUTBOUND_CALLS_PER_DAY: '5' };
  let api: TestApi;
  let telephony: FakeTelephony;
  beforeAll(async () => {
    api = await startApi(engine, { ...CAPS, RETENTION_SWEEP_INTERVAL_SECONDS: '0' });
    telephony = fakeTelephony(api);
  });
  afterAll(() => api?.close());

  let sidCounter = 0x7000;
  const nextSid = () => callSid(sidCounter++);
  const dial = async (agent: string, to = '+14155550111', sid = nextSid()) => {
    const response = await postWebhook(api, WEBHOOK_ROUTES.outgoing, {
      CallSid: sid, AccountSid: SANDBOX_CREDENTIALS.accountSid, From: `client:${agent}`, To: to, CallStatus: 'ringing', Direction: 'inbound',
    });
    expect(response.status).toBe(200);
    const twiml = parseTwiml(await response.text());
    return { sid, twiml, dialled: dialOf(twiml) };
  };
  /** Phone calls granted so far: each must have had its number added to its conference, once (the last test). */
  const granted: string[] = [];
  /** A granted phone call: the agent's conference, and the number added to it. */
  const expectDialled = async (call: Awaited<ReturnType<typeof dial>>, to: string) => {
    expect(call.dialled).toEqual({ kind: 'conference', target: `sb-${call.sid}`, actionPath: expect.stringContaining('anchor=outbound-exit'), timeLimit: '600' });
    expect((await telephony.addedTo(`sb-${call.sid}`)).map((p) => [p.to, p.label])).toEqual([[to, 'customer']]);
    granted.push(call.sid);
  };
  /** The agent's `<Dial>` is over (they left their conference): the provider posts its action. */
  const dialEnded = (call: { sid: string; dialled: TwimlDial | null }) => postWebhook(api, call.dialled?.actionPath ?? WEBHOOK_ROUTES.dialComplete, {
    CallSid: call.sid, AccountSid: SANDBOX_CREDENTIALS.accountSid, DialCallStatus: 'completed', CallStatus: 'in-progress',
  });
  const refusals = async (agent: string) => rowsOf(await api.database.db.execute(sql`
    SELECT call_sid, to_number, reason FROM outbound_call_refusals WHERE agent_identity = ${agent} ORDER BY id`));
  const expectRefused = (twiml: ReturnType<typeof parseTwiml>, message: string) => {
    expect(twiml['Dial']).toBeUndefined();
    expect(twiml['Say']).toEqual([message]);
    expect('Hangup' in twiml).toBe(true);
  };

  it('limits every phone call with <Dial timeLimit> from the configuration, and adds the number to the agent\'s conference', async () => {
    const first = await dial('alice');
    expect(first.twiml['Dial']).toMatchObject({ '@timeLimit': '600', Conference: expect.objectContaining({ '#text': `sb-${first.sid}`, '@participantLabel': 'client:alice' }) });
    await expectDialled(first, '+14155550111');
    expect((await dialEnded(first)).status).toBe(200);
  });

  it('refuses a second phone call while one is in progress: spoken, audited, and reported by check-number', async () => {
    const live = await dial('alice', '+14155550122');
    await expectDialled(live, '+14155550122');

    const second = await dial('alice', '+14155550133');
    expectRefused(second.twiml, SPOKEN_CAP_REFUSALS['active-call']);
    expect(await refusals('alice')).toEqual([{ call_sid: second.sid, to_number: '+14155550133', reason: 'active-call' }]);

    const cookie = await signIn(api, 'alice');
    const check = await fetch(`${api.url}${API_ROUTES.calls.checkNumber}`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ to: '+14155550144' }),
    });
    expect(await check.json()).toEqual({ allowed: false, reason: 'active-call', message: expect.stringMatching(/already have a call/) });

    // Twilio retrying the live call's webhook gets its <Dial> again, not a refusal of itself.
    expect((await dial('alice', '+14155550122', live.sid)).dialled).toEqual(live.dialled);
    // Agent-to-agent calls are not phone calls: not capped.
    expect((await dial('alice', 'client:bob')).dialled).toMatchObject({ kind: 'client', target: 'bob' });
    await dialEnded(live);
    expect((await fetch(`${api.url}${API_ROUTES.calls.checkNumber}`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ to: '+14155550144' }),
    }).then((r) => r.json()))).toEqual({ allowed: true, e164: '+14155550144' });
  });

  it('refuses an agent past the calls-per-hour cap', async () => {
    const third = await dial('alice');
    await expectDialled(third, '+14155550111');
    await dialEnded(third);
    const fourth = await dial('alice');
    expectRefused(fourth.twiml, SPOKEN_CAP_REFUSALS['hourly-limit']);
    expect((await refusals('alice')).at(-1)).toEqual({ call_sid: fourth.sid, to_number: '+14155550111', reason: 'hourly-limit' });
  });

  it('lets exactly one of many simultaneous outgoing webhooks of one agent dial', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => dial('bob', `+1415555017${i}`)));
    const dialled = answers.filter((a) => a.twiml['Dial'] !== undefined);
    expect(dialled).toHaveLength(1);
    await expectDialled(dialled[0], `+1415555017${answers.indexOf(dialled[0])}`);
    for (const refused of answers.filter((a) => a.twiml['Dial'] === undefined)) expectRefused(refused.twiml, SPOKEN_CAP_REFUSALS['active-call']);
    expect((await refusals('bob')).map((r) => (r as { reason: string }).reason)).toEqual(Array(7).fill('active-call'));
    await dialEnded(dialled[0]);
  });

  it('refuses everyone past the daily cap, counted over all agents', async () => {
    // Granted so far: alice 3, bob 1. One more reaches the cap of 5.
    const fifth = await dial('sam');
    await expectDialled(fifth, '+14155550111');
    await dialEnded(fifth);
    const sixth = await dial('sam');
    expectRefused(sixth.twiml, SPOKEN_CAP_REFUSALS['daily-limit']);
    expect(await refusals('sam')).toEqual([{ call_sid: sixth.sid, to_number: '+14155550111', reason: 'daily-limit' }]);
  });

  it('added a number over REST for the granted phone calls only, once each (the retried webhook, the refusals: none)', () => {
    // Each participant is added right after its TwiML was answered, so every one has been by now.
    expect(telephony.added.map((p) => ('friendlyName' in p.conference ? p.conference.friendlyName : p.conference.sid)).sort())
      .toEqual(granted.map((sid) => `sb-${sid}`).sort());
  });
});
