import { SPOKEN_CAP_REFUSALS } from '@switchboard/api-feature-twiml';
import { callSid, startApi, type TestApi } from '../support';
import { fakeTelephony, type FakeTelephony } from '../support/dialled';
import { dial, dialUntilRefused, endDial, forgetSignInFailures, refusalReasons, signInUntilRefused, type DialAnswer } from './abuse-limits';
import { QUIET_APP_ENV, ratio, RELIABILITY_ENGINES, reportFigures, SCENARIO_TIMEOUT_MS } from './scenario-size';

/** The caps this app runs with: the defaults for sign-in and the hourly cap; a daily cap small enough to reach. */
const HOURLY_CAP = 30;
const DAILY_CAP = 45;
const CAPS = { OUTBOUND_ACTIVE_CALLS_PER_AGENT: '1', OUTBOUND_CALLS_PER_AGENT_PER_HOUR: String(HOURLY_CAP), OUTBOUND_CALLS_PER_DAY: String(DAILY_CAP) };

/** Figure 14 of reliability.md: requests until 429 on sign-in, outgoing-call caps reached → spoken refusal, 0 5xx. */
describe.each(RELIABILITY_ENGINES)('sign-in limits and outgoing-call caps (%s)', (engine) => {
  let api: TestApi;
  // The REST side of an anchored phone call: a dialled call is its number added to the agent's conference.
  let telephony: FakeTelephony;
  let sidCounter = 0x7_0000;
  const nextSid = () => callSid(sidCounter++);
  beforeAll(async () => {
    api = await startApi(engine, { ...QUIET_APP_ENV, ...CAPS });
    telephony = fakeTelephony(api);
  }, 120_000);
  afterAll(() => api?.close());

  it('answers 429 with Retry-After after the configured failures, the same for a known and an unknown identity, and per source', async () => {
    const { maxFailuresPerIdentity, maxFailuresPerSource, windowSeconds } = api.config.signInLimits;
    const known = await signInUntilRefused(api, () => 'alice');
    const unknown = await signInUntilRefused(api, () => 'nobody_here');
    await forgetSignInFailures(api);
    const perSource = await signInUntilRefused(api, (i) => `guess_${i}`);
    const all = [...known.statuses, ...unknown.statuses, ...perSource.statuses];
    reportFigures('sign-in', engine, [
      { figure: 'sign-in: wrong passwords until 429, known identity', measured: String(known.statuses.length), target: `${maxFailuresPerIdentity + 1} (limit ${maxFailuresPerIdentity} per ${windowSeconds} s)`, detail: `Retry-After ${known.retryAfter} s` },
      { figure: 'sign-in: the same for an unknown identity (statuses, body, Retry-After present)', measured: sameAnswer(known, unknown) ? 'yes' : 'no', target: 'yes', detail: `${unknown.statuses.length} attempts` },
      { figure: 'sign-in: failures from one source until 429 (identities all different)', measured: String(perSource.statuses.length), target: `${maxFailuresPerSource + 1} (limit ${maxFailuresPerSource})`, detail: `Retry-After ${perSource.retryAfter} s` },
      { figure: 'sign-in: 5xx answers', measured: String(all.filter((s) => s >= 500).length), target: '0' },
    ]);
    const expected = [...Array(maxFailuresPerIdentity).fill(401), 429];
    expect(known.statuses).toEqual(expected);
    expect(sameAnswer(known, unknown)).toBe(true);
    expect(perSource.statuses).toEqual([...Array(maxFailuresPerSource).fill(401), 429]);
    for (const run of [known, unknown, perSource]) expect(Number(run.retryAfter)).toBeGreaterThanOrEqual(1);
  }, SCENARIO_TIMEOUT_MS);

  it('refuses phone calls past the active, hourly and daily caps with spoken TwiML (no <Dial>), audited, never a 5xx', async () => {
    const refusals: DialAnswer[] = [];
    // One phone call at a time per agent.
    const live = await dial(api, telephony, 'alice', '+14155550122', nextSid());
    const second = await dial(api, telephony, 'alice', '+14155550133', nextSid());
    refusals.push(second);
    await endDial(api, live);
    // A burst of simultaneous outgoing webhooks from one agent: exactly one dials.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => dial(api, telephony, 'bob', `+1415555017${i % 10}`, nextSid())));
    const burstDialled = burst.filter((a) => a.dialled !== null);
    refusals.push(...burst.filter((a) => a.dialled === null));
    await Promise.all(burstDialled.map((a) => endDial(api, a)));
    // Calls per agent per hour (alice has made one), then the organisation's daily cap (sam).
    const hourly = await dialUntilRefused(api, telephony, 'alice', nextSid);
    const daily = await dialUntilRefused(api, telephony, 'sam', nextSid);
    for (const run of [hourly, daily]) if (run.refusal) refusals.push(run.refusal);
    const audited = await refusalReasons(api, refusals.map((r) => r.sid));
    const expectedReasons = { [second.sid]: 'active-call', ...Object.fromEntries(burst.filter((a) => a.dialled === null).map((a) => [a.sid, 'active-call'])),
      ...(hourly.refusal ? { [hourly.refusal.sid]: 'hourly-limit' } : {}), ...(daily.refusal ? { [daily.refusal.sid]: 'daily-limit' } : {}) };
    const spoken = refusals.filter((r) => r.status === 200 && r.dialled === null && r.hangsUp && r.said.length === 1
      && r.said[0] === SPOKEN_CAP_REFUSALS[audited[r.sid] as keyof typeof SPOKEN_CAP_REFUSALS]);
    const answers = [live, second, ...burst, ...hourly.answers, ...daily.answers];
    reportFigures('caps', engine, [
      { figure: 'outgoing: second phone call while one is live', measured: second.dialled === null ? 'refused' : 'dialled', target: 'refused' },
      { figure: 'outgoing: 20 simultaneous webhooks of one agent → calls dialled', measured: String(burstDialled.length), target: '1' },
      { figure: 'outgoing: phone calls per agent before the hourly refusal', measured: String(hourly.granted + 1), target: `${HOURLY_CAP} (cap)` },
      { figure: 'outgoing: phone calls that day before the daily refusal (all agents)', measured: String(1 + burstDialled.length + hourly.granted + daily.granted), target: `${DAILY_CAP} (cap)` },
      { figure: 'outgoing: cap refusals spoken, without <Dial>, audited with their reason', measured: ratio(spoken.length, refusals.length), target: `${refusals.length}/${refusals.length}` },
      { figure: 'outgoing: 5xx answers', measured: String(answers.filter((a) => a.status >= 500).length), target: '0', detail: `${answers.length} webhooks` },
    ]);
    expect(live.dialled).toBe('+14155550122');
    expect(burstDialled).toHaveLength(1);
    expect(hourly.granted + 1).toBe(HOURLY_CAP);
    expect(1 + burstDialled.length + hourly.granted + daily.granted).toBe(DAILY_CAP);
    expect(audited).toEqual(expectedReasons);
    expect(spoken.map((r) => r.sid).sort()).toEqual(refusals.map((r) => r.sid).sort());
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // A number is added over REST for each granted call only (each was awaited above, later than every refusal).
    expect(telephony.added.map((p) => p.conference).sort(byName)).toEqual(answers.filter((a) => a.dialled !== null).map((a) => ({ friendlyName: `sb-${a.sid}` })).sort(byName));
  }, SCENARIO_TIMEOUT_MS);
});

const byName = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));

function sameAnswer(a: { statuses: number[]; body: string; retryAfter: string | null }, b: typeof a): boolean {
  return JSON.stringify(a.statuses) === JSON.stringify(b.statuses) && a.body === b.body && a.retryAfter !== null && b.retryAfter !== null;
}
