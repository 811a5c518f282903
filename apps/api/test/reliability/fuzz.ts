import { createHash, randomBytes } from 'node:crypto';
import { AgentsRepository, SessionsRepository } from '@switchboard/api-data-access-db';
import { API_ROUTES } from '@switchboard/shared-contracts';
import fc from 'fast-check';
import { getExpectedTwilioSignature } from 'twilio';
import { callSid, PUBLIC_BASE_URL, recordingSid, type TestApi } from '../support';
import { FORM, paramsOf, rawRequest, type RawRequest } from './raw-http';
import { genuineRequest, type DiscoveredRoute } from './webhook-routes';

/** Twilio's parameter names (so generated requests reach the handlers' checks) and keys that hurt naive code. */
const PARAM_NAMES = [
  'CallSid', 'AccountSid', 'From', 'To', 'CallStatus', 'Direction', 'DialCallStatus', 'SequenceNumber', 'Timestamp', 'CallDuration',
  'RecordingSid', 'RecordingUrl', 'RecordingStatus', 'RecordingDuration', 'Caller', 'ApiVersion', 'ErrorCode', 'supervisor', 'to', 'from',
  'page', 'pageSize', 'identity', 'heard',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '',
];
const STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'answered', 'completed', 'busy', 'no-answer', 'failed', 'canceled', 'absent', 'teleported', 'COMPLETED'];

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '%ZZ', '%', '+', '&=&', '<Dial>+19005550123</Dial>', "'; DROP TABLE calls; --", '\u202e', '😀', 'x'.repeat(2000)),
);

/** Values that are often valid, so a share of cases passes each handler's first checks and reaches the next. */
const paramValue = fc.oneof(
  { weight: 3, arbitrary: junkText },
  { weight: 1, arbitrary: fc.nat(0xffff).map(callSid) },
  { weight: 1, arbitrary: fc.nat(0xffff).map(recordingSid) },
  { weight: 1, arbitrary: fc.constantFrom(...STATUSES) },
  { weight: 1, arbitrary: fc.constantFrom('client:alice', 'client:bob', 'client:sam', 'client:', 'alice', 'sam', '+14155550111', '+19005550123', '+448712345678', '+33140000000', '911', '+15005550006') },
  { weight: 1, arbitrary: fc.constantFrom('https://127.0.0.1:8443/2010-04-01/Accounts/AC/Recordings/RE1', 'http://169.254.169.254/', 'file:///etc/passwd') },
  { weight: 1, arbitrary: fc.oneof(fc.integer().map(String), fc.double().map(String), fc.constantFrom('1e9', '-1', '0x10', 'NaN', '99999999999')) },
);
const paramName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PARAM_NAMES) }, { weight: 1, arbitrary: junkText });
const pairs = fc.array(fc.tuple(paramName, paramValue), { maxLength: 16 });

/** A query string: well-formed pairs, or raw characters that are legal in a request target but odd. */
const queryString = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: pairs.map((p) => new URLSearchParams(p.map(([k, v]) => [k, v])).toString()) },
  { weight: 1, arbitrary: fc.constantFrom('%ZZ', '%', "a='b'", 'a=b=c&&&', '__proto__[x]=1', 'constructor.prototype=1', 'supervisor=sam&supervisor=bob', 'a=%00', 'page=-1&pageSize=1e9') },
);

/** The agent routes' own query parameters (call history paging), in range and out. */
const pagingValue = fc.oneof(fc.integer({ min: -3, max: 150 }).map(String), junkText);
const pagingQuery = fc.record({ page: pagingValue, pageSize: pagingValue }, { requiredKeys: [] })
  .map((query) => new URLSearchParams(Object.entries(query)).toString());

const CONTENT_TYPES = [FORM, `${FORM}; charset=utf-16`, 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', '', 'x/y; z'];

/** A body other than a well-formed form: bytes a broken or hostile client sends. */
const garbageBody = fc.oneof(
  junkText,
  fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constantFrom('%ZZ=1', 'a=%E0%A4%A', 'a=\u0000b', '\xff\xfe\xfd=1', '{"CallSid":"CA1"}', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--', '[]', 'null'),
  fc.integer({ min: 500, max: 12_000 }).map((count) => Array.from({ length: count }, (_, i) => `p${i}=${i}`).join('&')),
);

type Mutation = { op: 'set' | 'drop' | 'add'; key: string; value: string };

export type FuzzCase =
  | { kind: 'webhook-mutated'; route: string; sid: number; mutations: Mutation[] }
  | { kind: 'webhook-form'; route: string; query: string; pairs: Array<[string, string]>; signed: boolean }
  | { kind: 'webhook-garbage'; route: string; query: string; body: string; contentType: string; signed: boolean }
  | { kind: 'agent'; route: DiscoveredRoute; method: string; pathParam: string; query: string; body: string | null; contentType: string; session: 'agent' | 'garbage' | 'none'; origin: string | null };

/** Cases over every discovered route: webhooks (mostly signed, so the guard lets them through) and /api routes (mostly signed in). */
export function fuzzCases(routes: readonly DiscoveredRoute[]): fc.Arbitrary<FuzzCase> {
  const webhooks = routes.filter((r) => r.webhook).map((r) => r.path);
  const agentRoutes = routes.filter((r) => !r.webhook && r.path.startsWith('/api'));
  if (webhooks.length === 0 || agentRoutes.length === 0) throw new Error('no routes to fuzz');
  const webhookForm = fc.record({
    kind: fc.constant('webhook-form' as const), route: fc.constantFrom(...webhooks), query: queryString, pairs,
    signed: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  });
  // A genuine request with a few parameters changed, dropped or added: most of these reach the handler's checks.
  const webhookMutated = fc.record({
    kind: fc.constant('webhook-mutated' as const), route: fc.constantFrom(...webhooks), sid: fc.nat(0xfffff),
    mutations: fc.array(fc.record({ op: fc.constantFrom('set' as const, 'drop' as const, 'add' as const), key: paramName, value: paramValue }), { maxLength: 3 }),
  });
  const webhookGarbage = fc.record({
    kind: fc.constant('webhook-garbage' as const), route: fc.constantFrom(...webhooks), query: queryString, body: garbageBody,
    contentType: fc.constantFrom(...CONTENT_TYPES), signed: fc.boolean(),
  });
  const jsonBody = fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.record({ identity: paramValue, password: paramValue, to: paramValue, heard: fc.jsonValue(), reason: paramValue }, { requiredKeys: [] }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: garbageBody },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  // GET routes mostly without a body, so their query reaches the handler.
  const getBody = fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: jsonBody });
  const agent = fc.constantFrom(...agentRoutes).chain((route) => fc.record({
    kind: fc.constant('agent' as const),
    route: fc.constant(route),
    method: fc.oneof({ weight: 9, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') }),
    pathParam: fc.oneof(fc.uuid(), junkText.map(encodeURIComponent), fc.constantFrom('..', '%2e%2e', '%00', 'a%2Fb')),
    query: fc.oneof(queryString, pagingQuery),
    body: route.method === 'GET' ? getBody : jsonBody,
    contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    session: fc.oneof({ weight: 8, arbitrary: fc.constant('agent' as const) }, { weight: 1, arbitrary: fc.constantFrom('garbage' as const, 'none' as const) }),
    origin: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('https://evil.test', 'null', PUBLIC_BASE_URL) }),
  }));
  return fc.oneof(webhookMutated, webhookForm, webhookGarbage, { weight: 3, arbitrary: agent });
}

/** The HTTP request for a case; webhook signatures are real (twilio package) over what the server will parse. */
export function requestOf(api: TestApi, c: FuzzCase, cookie: string): RawRequest {
  if (c.kind === 'agent') {
    const path = c.route.path.replace(/:[A-Za-z]+/g, c.pathParam) + (c.query ? `?${c.query}` : '');
    const headers: Record<string, string> = {};
    if (c.body !== null) headers['content-type'] = c.contentType;
    if (c.session === 'agent') headers['cookie'] = cookie;
    if (c.session === 'garbage') headers['cookie'] = `${api.config.sessions.cookieName}=${randomBytes(32).toString('base64url')}`;
    if (c.origin) headers['origin'] = c.origin;
    return { method: c.method || c.route.method, path, headers, body: c.body ?? undefined };
  }
  if (c.kind === 'webhook-mutated') {
    const genuine = genuineRequest(api, c.route, 0x30_0000 + c.sid);
    return signedForm(api, genuine.path, c.mutations.reduce(mutate, genuine.pairs), true);
  }
  const path = c.route + (c.query ? `?${c.query}` : '');
  if (c.kind === 'webhook-form') return signedForm(api, path, c.pairs, c.signed);
  const params = c.contentType.startsWith(FORM) ? paramsOf([...new URLSearchParams(c.body)]) : {};
  const headers: Record<string, string> = c.contentType === '' ? {} : { 'content-type': c.contentType };
  if (c.signed) headers['x-twilio-signature'] = getExpectedTwilioSignature(api.config.twilio.authToken, `${PUBLIC_BASE_URL}${path}`, params);
  return { method: 'POST', path, headers, body: c.body };
}

function mutate(pairs: Array<[string, string]>, { op, key, value }: Mutation): Array<[string, string]> {
  const target = pairs.length > 0 ? pairs[key.length % pairs.length][0] : key;
  if (op === 'drop') return pairs.filter(([k]) => k !== target);
  if (op === 'set') return pairs.map(([k, v]) => [k, k === target ? value : v]);
  return [...pairs, [key, value]];
}

function signedForm(api: TestApi, path: string, pairs: Array<[string, string]>, signed: boolean): RawRequest {
  const body = new URLSearchParams(pairs).toString();
  // Sign what a correct form parser reads back (lone surrogates become U+FFFD on the way).
  const params = paramsOf([...new URLSearchParams(body)]);
  const headers: Record<string, string> = { 'content-type': FORM };
  if (signed) headers['x-twilio-signature'] = getExpectedTwilioSignature(api.config.twilio.authToken, `${PUBLIC_BASE_URL}${path}`, params);
  return { method: 'POST', path, headers, body };
}

export interface FuzzResult {
  readonly cases: number;
  readonly seed: number;
  /** Status → count, for webhook and agent cases separately. */
  readonly histogram: { webhook: Record<string, number>; agent: Record<string, number> };
  /** Signed webhook cases the guard let through (proof the fuzz reaches the handlers' validation). */
  readonly webhookPastGuard: number;
  /** 5xx answers, and requests never answered (status 0). */
  readonly serverErrors: Array<{ status: number; request: RawRequest }>;
  readonly failure: string | null;
}

/** A session for `identity` written straight to the database: the fuzz signs out often and must not trip the sign-in limits. */
export async function mintSession(api: TestApi, identity: string): Promise<string> {
  const agent = await api.app.get(AgentsRepository).findByIdentity(identity);
  if (!agent) throw new Error(`no agent ${identity}`);
  const token = randomBytes(32).toString('base64url');
  await api.app.get(SessionsRepository).create(createHash('sha256').update(token).digest('hex'), agent.id, new Date(Date.now() + 3_600_000));
  return `${api.config.sessions.cookieName}=${token}`;
}

/** Runs `numRuns` cases with a fixed seed; property: no answer is a 5xx (and every request gets an answer). */
export async function runFuzz(api: TestApi, routes: readonly DiscoveredRoute[], numRuns: number, seed: number): Promise<FuzzResult> {
  const histogram = { webhook: {} as Record<string, number>, agent: {} as Record<string, number> };
  const serverErrors: FuzzResult['serverErrors'] = [];
  let webhookPastGuard = 0;
  let cases = 0;
  let cookie = await mintSession(api, 'alice');
  const property = fc.asyncProperty(fuzzCases(routes), async (c) => {
    const request = requestOf(api, c, cookie);
    // No answer at all counts as status 0: a failure like a 5xx.
    const status = await rawRequest(api.url, request).then((r) => r.status, () => 0);
    cases++;
    const bucket = c.kind === 'agent' ? histogram.agent : histogram.webhook;
    bucket[status] = (bucket[status] ?? 0) + 1;
    if (c.kind !== 'agent' && (c.kind === 'webhook-mutated' || c.signed) && status !== 403) webhookPastGuard++;
    if (status >= 500 || status === 0) serverErrors.push({ status, request });
    // Signing out ends the fuzz's own session: start another so later cases stay signed in.
    if (c.kind === 'agent' && c.route.path === API_ROUTES.auth.logout && c.session === 'agent') cookie = await mintSession(api, 'alice');
    return status > 0 && status < 500;
  });
  let failure: string | null = null;
  try {
    // No shrinking: the server is stateful, so the first failing case is the one to replay (seed + path).
    await fc.assert(property, { numRuns, seed, endOnFailure: true });
  } catch (error) {
    failure = (error as Error).message.split('\n').slice(0, 6).join('\n');
  }
  return { cases, seed, histogram, webhookPastGuard, serverErrors, failure };
}
