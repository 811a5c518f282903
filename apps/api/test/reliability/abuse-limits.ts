import { rowsOf, signInFailures } from '@switchboard/api-data-access-db';
import { API_ROUTES, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { parseTwiml, type TestApi } from '../support';
import { dialOf, type FakeTelephony } from '../support/dialled';
import { sendSigned } from './webhook-corpus';

// ---- Sign-in limits (reliability.md T/F figure 14; issue 10 item 1) ----

export interface SignInRun {
  /** Status of every attempt, the last being the first 429 (or the cap of attempts). */
  readonly statuses: number[];
  readonly retryAfter: string | null;
  readonly body: string;
}

/** Wrong-password sign-ins, one after another, until the API answers 429 (at most `max`). */
export async function signInUntilRefused(api: TestApi, identity: (attempt: number) => string, max = 200): Promise<SignInRun> {
  const statuses: number[] = [];
  for (let i = 0; i < max; i++) {
    const response = await fetch(`${api.url}${API_ROUTES.auth.login}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: identity(i), password: `wrong-${i}` }),
    });
    statuses.push(response.status);
    const body = await response.text();
    if (response.status === 429) return { statuses, retryAfter: response.headers.get('retry-after'), body };
  }
  return { statuses, retryAfter: null, body: '' };
}

export const forgetSignInFailures = async (api: TestApi) => { await api.database.db.delete(signInFailures); };

// ---- Outgoing calls: caps and the toll-fraud corpus (F1–F3; issue 10 item 5) ----

export interface DialAnswer {
  readonly sid: string;
  readonly to: string;
  readonly status: number;
  /**
   * The number dialled, 'client' for another agent, null when nothing is. An anchored phone call (the
   * default CUSTOMER_CALL_ANCHOR=conference) counts once the agent's TwiML joins `sb-<sid>` and the API
   * added the number to that conference over REST; `<Dial><Number>` when the anchor is direct.
   */
  readonly dialled: string | null;
  /** Path and query of the `<Dial action>` (endDial posts there). */
  readonly actionPath: string | null;
  readonly said: string[];
  readonly hangsUp: boolean;
}

/** The TwiML App's voice webhook for `agent` dialling `to`, signed; what the TwiML (and, anchored, the REST side) does. */
export async function dial(api: TestApi, telephony: FakeTelephony, agent: string, to: string, sid: string): Promise<DialAnswer> {
  const response = await sendSigned(api, {
    path: WEBHOOK_ROUTES.outgoing,
    pairs: [['AccountSid', SANDBOX_CREDENTIALS.accountSid], ['CallSid', sid], ['From', `client:${agent}`], ['To', to], ['CallStatus', 'ringing'], ['Direction', 'inbound']],
  });
  if (response.status !== 200) return { sid, to, status: response.status, dialled: null, actionPath: null, said: [], hangsUp: false };
  const twiml = parseTwiml(response.text);
  const dialVerb = dialOf(twiml);
  return {
    sid, to, status: 200,
    dialled: dialVerb === null ? null : await dialledBy(telephony, sid, dialVerb),
    actionPath: dialVerb?.actionPath ?? null,
    said: ((twiml['Say'] as unknown[] | undefined) ?? []).map((s) => (typeof s === 'string' ? s : String((s as Record<string, unknown>)['#text']))),
    hangsUp: 'Hangup' in twiml,
  };
}

async function dialledBy(telephony: FakeTelephony, sid: string, dialVerb: NonNullable<ReturnType<typeof dialOf>>): Promise<string> {
  if (dialVerb.kind === 'number') return dialVerb.target;
  if (dialVerb.kind === 'client') return 'client';
  // Another conference than the agent's own would anchor nothing the caps granted.
  if (dialVerb.target !== `sb-${sid}`) return `conference ${dialVerb.target}`;
  const [participant] = await telephony.addedTo(dialVerb.target);
  return participant.to;
}

/**
 * The <Dial action> after the call (for an anchored call, dial-complete?anchor=outbound-exit: the agent left
 * their conference): the agent's phone call no longer counts as active.
 */
export async function endDial(api: TestApi, answer: DialAnswer): Promise<number> {
  const response = await sendSigned(api, {
    path: answer.actionPath ?? WEBHOOK_ROUTES.dialComplete,
    pairs: [['AccountSid', SANDBOX_CREDENTIALS.accountSid], ['CallSid', answer.sid], ['DialCallStatus', 'completed'], ['CallStatus', 'in-progress']],
  });
  return response.status;
}

export async function refusalReasons(api: TestApi, sids: readonly string[]): Promise<Record<string, string>> {
  if (sids.length === 0) return {};
  const rows = rowsOf(await api.database.db.execute(sql`
    SELECT call_sid, reason FROM outbound_call_refusals WHERE call_sid IN (${sql.join(sids.map((s) => sql`${s}`), sql`, `)})`)) as Array<{ call_sid: string; reason: string }>;
  return Object.fromEntries(rows.map((r) => [r.call_sid, r.reason]));
}

/** Dials and ends calls as `agent` until one is refused; returns the calls granted and the refusal. */
export async function dialUntilRefused(api: TestApi, telephony: FakeTelephony, agent: string, nextSid: () => string, max = 2000): Promise<{ granted: number; refusal: DialAnswer | null; answers: DialAnswer[] }> {
  const answers: DialAnswer[] = [];
  for (let i = 0; i < max; i++) {
    const answer = await dial(api, telephony, agent, `+1415555${String(1000 + (i % 9000)).padStart(4, '0')}`, nextSid());
    answers.push(answer);
    if (answer.dialled === null) return { granted: i, refusal: answer, answers };
    await endDial(api, answer);
  }
  return { granted: max, refusal: null, answers };
}

/** Deterministic digits, so a generated corpus is the same on every run. */
function digitSource(seed: number): (count: number) => string {
  let state = seed >>> 0;
  return (count) => Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return String(state % 10);
  }).join('');
}

/**
 * Numbers that must never be dialled (premium rate, shared cost, personal/pager/VoIP ranges, satellite
 * and international ranges, countries not allowed) and numbers that must be: a fixed core from
 * reliability.md F1, plus `generated` per pattern with deterministic digits.
 */
export function tollFraudCorpus(generated: number): { blocked: Array<{ category: string; to: string }>; legitimate: string[] } {
  const digits = digitSource(0x5eed);
  const fixed: Array<[string, string[]]> = [
    ['premium', ['+19005550123', '+19765550123', '+449090901234', '+448712345678', '+448702345678', '+97912345678']],
    ['shared-cost', ['+448431234567', '+448451234567', '+80812345678']],
    ['personal/pager/VoIP', ['+447012345678', '+447623456789', '+445612345678']],
    ['satellite/international networks', ['+881612345678', '+870773123456', '+88213123456', '+883510012345', '+99112345']],
    ['other country', ['+33140000000', '+4930123456', '+5511987654321', '+2348031234567', '+5372345678', '+252612345678', '+447911123456']],
  ];
  const patterns: Array<[string, () => string]> = [
    ['premium', () => `+1900${digits(7)}`], ['premium', () => `+44909${digits(7)}`], ['premium', () => `+44871${digits(7)}`],
    ['shared-cost', () => `+44845${digits(7)}`], ['shared-cost', () => `+808${digits(8)}`],
    ['other country', () => `+331${digits(8)}`], ['other country', () => `+4930${digits(8)}`], ['other country', () => `+55119${digits(8)}`],
    ['other country', () => `+234803${digits(7)}`], ['satellite/international networks', () => `+8816${digits(8)}`],
  ];
  const blocked = [
    ...fixed.flatMap(([category, numbers]) => numbers.map((to) => ({ category, to }))),
    ...patterns.flatMap(([category, next]) => Array.from({ length: generated }, () => ({ category, to: next() }))),
  ];
  const legitimatePatterns = [
    ...['212', '310', '415', '617', '718', '312', '202', '604', '416'].map((area) => () => `+1${area}55501${digits(2)}`),
    () => `+180055501${digits(2)}`, () => `+4420794604${digits(2)}`, () => `+4411349604${digits(2)}`, () => `+4416149600${digits(2)}`,
  ];
  const legitimate = ['+14155550111', '+12125550143', '+16045550123', '+18005550100', '+442079460123', '+441134960456',
    ...legitimatePatterns.flatMap((next) => Array.from({ length: generated }, next))];
  return { blocked, legitimate: [...new Set(legitimate)] };
}

