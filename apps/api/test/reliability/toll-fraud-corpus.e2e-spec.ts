import { callSid, startApi, type TestApi } from '../support';
import { fakeTelephony, type FakeTelephony } from '../support/dialled';
import { dial, endDial, refusalReasons, tollFraudCorpus } from './abuse-limits';
import { COUNTS_NOW, QUIET_APP_ENV, ratio, RELIABILITY_ENGINES, reportFigures, SCENARIO_TIMEOUT_MS } from './scenario-size';

/** Figure 13 of reliability.md (F1): the toll-fraud corpus is blocked N/N with 0 <Dial>; legitimate numbers dial M/M. */
describe.each(RELIABILITY_ENGINES)('toll-fraud corpus on the outgoing voice webhook (%s)', (engine) => {
  let api: TestApi;
  // The REST side of an anchored phone call: a dialled number is one added to the agent's conference.
  let telephony: FakeTelephony;
  let sidCounter = 0x8_0000;
  // Caps far away: this measures the number policy, not the caps.
  beforeAll(async () => {
    api = await startApi(engine, { ...QUIET_APP_ENV, OUTBOUND_CALLS_PER_AGENT_PER_HOUR: '10000', OUTBOUND_CALLS_PER_DAY: '10000000' });
    telephony = fakeTelephony(api);
  }, 120_000);
  afterAll(() => api?.close());

  it('never dials a premium, shared-cost, satellite or other-country number, audits each refusal, and dials every legitimate number', async () => {
    const { blocked, legitimate } = tollFraudCorpus(COUNTS_NOW.generatedNumbers);
    const blockedAnswers = [];
    for (const { category, to } of blocked) blockedAnswers.push({ category, ...(await dial(api, telephony, 'alice', to, callSid(sidCounter++))) });
    const audited = await refusalReasons(api, blockedAnswers.map((a) => a.sid));
    const refused = blockedAnswers.filter((a) => a.status === 200 && a.dialled === null && a.said.length === 1 && a.hangsUp && audited[a.sid] !== undefined);
    const legitimateAnswers = [];
    for (const to of legitimate) {
      const answer = await dial(api, telephony, 'bob', to, callSid(sidCounter++));
      legitimateAnswers.push(answer);
      if (answer.dialled !== null) await endDial(api, answer);
    }
    const allowed = legitimateAnswers.filter((a) => a.dialled === a.to);
    const categories = [...new Set(blocked.map((b) => b.category))];
    reportFigures('toll-fraud', engine, [
      { figure: 'toll-fraud corpus blocked (spoken refusal, audited)', measured: ratio(refused.length, blocked.length), target: `${blocked.length}/${blocked.length}`,
        detail: categories.map((c) => `${c} ${refused.filter((a) => a.category === c).length}/${blocked.filter((b) => b.category === c).length}`).join(', ') },
      { figure: 'toll-fraud corpus: <Dial> emitted', measured: String(blockedAnswers.filter((a) => a.dialled !== null).length), target: '0' },
      { figure: 'toll-fraud corpus: numbers added over REST', measured: String(telephony.added.filter((p) => blocked.some((b) => b.to === p.to)).length), target: '0' },
      { figure: 'legitimate numbers dialled (US, CA, GB, toll-free)', measured: ratio(allowed.length, legitimate.length), target: `${legitimate.length}/${legitimate.length}` },
      { figure: 'toll-fraud corpus: 5xx answers', measured: String([...blockedAnswers, ...legitimateAnswers].filter((a) => a.status >= 500).length), target: '0' },
    ], { notRefused: blockedAnswers.filter((a) => !refused.includes(a)).slice(0, 10), notAllowed: legitimateAnswers.filter((a) => !allowed.includes(a)).slice(0, 10) });
    expect(blockedAnswers.filter((a) => !refused.includes(a))).toEqual([]);
    expect(legitimateAnswers.filter((a) => !allowed.includes(a))).toEqual([]);
    // Only the legitimate numbers were added over REST (each awaited, after every blocked one was answered).
    expect(telephony.added.map((p) => p.to)).toEqual(allowed.map((a) => a.to));
  }, SCENARIO_TIMEOUT_MS);
});
