import { createHmac, randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio';
import { PUBLIC_BASE_URL, type TestApi } from '../support';
import { FORM, formBody, paramsOf, rawRequest, type RawResponse } from './raw-http';
import { genuineRequest, type WebhookRequest } from './webhook-routes';

/** One delivery of the corpus: what is sent, and which header value(s) it carries. */
interface Delivery {
  readonly name: string;
  readonly path: string;
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  /** null: no X-Twilio-Signature at all; an array: the header sent once per element. */
  readonly signature: string | readonly string[] | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface CorpusOutcome {
  readonly route: string;
  readonly name: string;
  readonly status: number;
}

const signed = (token: string, path: string, pairs: ReadonlyArray<readonly [string, string]>, base = PUBLIC_BASE_URL) =>
  getExpectedTwilioSignature(token, `${base}${path}`, paramsOf(pairs));

/** Twilio's signing input (URL, then each parameter name+value sorted by name), for the forged SHA-256 variant. */
function signingInput(url: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  const params = paramsOf(pairs);
  return Object.keys(params).sort().reduce((data, key) => {
    const value = params[key];
    return data + (Array.isArray(value) ? [...new Set(value)].sort().map((v) => key + v).join('') : key + value);
  }, url);
}

const withParam = (pairs: ReadonlyArray<readonly [string, string]>, name: string, value: string) =>
  pairs.map(([k, v]) => [k, k === name ? value : v] as const);
const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

/**
 * The forged corpus of reliability.md W1–W2 for one genuine request: each delivery either carries
 * no valid signature or was changed after Twilio signed it. `otherRoute` is another webhook path.
 */
export function forgeries(token: string, request: WebhookRequest, otherRoute: string, another: WebhookRequest): Delivery[] {
  const { path, pairs } = request;
  const genuine = signed(token, path, pairs);
  const digest = Buffer.from(genuine, 'base64');
  const host = PUBLIC_BASE_URL.replace(/^https:\/\//, '');
  const changed = ['To', 'From', 'CallStatus', 'CallSid']
    .filter((name) => pairs.some(([k]) => k === name))
    .map((name): Delivery => ({ name: `changed ${name}`, path, pairs: withParam(pairs, name, name === 'CallSid' ? another.pairs.find(([k]) => k === 'CallSid')?.[1] ?? 'CA0' : `${pairs.find(([k]) => k === name)?.[1]}1`), signature: genuine }));
  return [
    { name: 'missing header', path, pairs, signature: null },
    { name: 'empty header', path, pairs, signature: '' },
    { name: 'random base64', path, pairs, signature: randomBytes(20).toString('base64') },
    { name: 'wrong key', path, pairs, signature: signed(randomBytes(16).toString('hex'), path, pairs) },
    { name: 'signed for another host', path, pairs, signature: signed(token, path, pairs, 'https://evil.test') },
    { name: 'signed for http://', path, pairs, signature: signed(token, path, pairs, `http://${host}`) },
    { name: 'signed for another port', path, pairs, signature: signed(token, path, pairs, `https://${host}:8443`) },
    { name: 'signed for another path', path, pairs, signature: signed(token, otherRoute, pairs) },
    { name: 'signed for another query', path, pairs, signature: signed(token, withQuery(path, 'x=1'), pairs) },
    { name: 'query added after signing', path: withQuery(path, 'supervisor=bob'), pairs, signature: genuine },
    ...changed,
    { name: 'param added', path, pairs: [...pairs, ['Injected', 'x']], signature: genuine },
    { name: 'param removed', path, pairs: pairs.filter(([k]) => k !== pairs[pairs.length - 1][0]), signature: genuine },
    { name: 'param repeated', path, pairs: [...pairs, [pairs[pairs.length - 1][0], 'other']], signature: genuine },
    { name: 'HMAC-SHA256 instead of SHA-1', path, pairs, signature: createHmac('sha256', token).update(signingInput(`${PUBLIC_BASE_URL}${path}`, pairs)).digest('base64') },
    { name: 'hex instead of base64', path, pairs, signature: digest.toString('hex') },
    { name: 'base64 without padding', path, pairs, signature: genuine.replace(/=+$/, '') },
    { name: "another request's valid signature", path, pairs, signature: signed(token, another.path, another.pairs) },
    // HTTP strips trailing spaces and tabs (optional whitespace); U+00A0 survives and is whitespace to String#trim.
    { name: 'valid HMAC + trailing U+00A0', path, pairs, signature: `${genuine}\u00a0` },
    { name: 'valid HMAC + trailing "="', path, pairs, signature: `${genuine}=` },
    { name: 'header duplicated (genuine twice)', path, pairs, signature: [genuine, genuine] },
    { name: 'header duplicated (forged, genuine)', path, pairs, signature: [randomBytes(20).toString('base64'), genuine] },
  ];
}

const QUERY_VARIANTS: ReadonlyArray<readonly [string, string]> = [
  ['query: space as +', 'note=a+b'],
  ['query: space as %20', 'note=a%20b'],
  ['query: raw @', 'sip=alice@example.com'],
  ['query: raw :', 'sip=sip:alice'],
  ['query: %2F', 'path=a%2Fb'],
  ['query: percent-encoded non-ASCII', 'name=%C3%A9%E2%9C%93'],
  ['query: repeated key', 'k=1&k=2'],
  ['query: empty value', 'k='],
  ["query: raw ' (twilio-node >= 5.0.4 used to reject it)", "name=O'Brien"],
];

/**
 * Genuine deliveries (W3–W5, W14): URL variants Twilio can sign, parameters we do not know, proxy
 * headers, whitespace HTTP removes, the secondary auth token while rotating. `freshRequest` gives
 * each its own SIDs.
 */
export function genuineVariants(tokens: { primary: string; secondary: string | null }, freshRequest: () => WebhookRequest): Delivery[] {
  const host = PUBLIC_BASE_URL.replace(/^https:\/\//, '');
  const plain = (name: string, build: (r: WebhookRequest) => Omit<Delivery, 'name'>): Delivery => ({ name, ...build(freshRequest()) });
  const variants: Delivery[] = [
    plain('as Twilio sends it', (r) => ({ ...r, signature: signed(tokens.primary, r.path, r.pairs) })),
    plain('signed with the default port :443', (r) => ({ ...r, signature: signed(tokens.primary, r.path, r.pairs, `https://${host}:443`) })),
    plain('unknown parameter NewTwilioParam=x', (r) => {
      const pairs: Array<[string, string]> = [...r.pairs, ['NewTwilioParam', 'x']];
      return { path: r.path, pairs, signature: signed(tokens.primary, r.path, pairs) };
    }),
    plain('unknown parameter repeated', (r) => {
      const pairs: Array<[string, string]> = [...r.pairs, ['NewTwilioParam', 'b'], ['NewTwilioParam', 'a']];
      return { path: r.path, pairs, signature: signed(tokens.primary, r.path, pairs) };
    }),
    plain('empty and unusual values (CallerName, ForwardedFrom)', (r) => {
      const pairs: Array<[string, string]> = [...r.pairs, ['ForwardedFrom', ''], ['CallerName', "O'Brien & Co = +1 é ✓ <x>"]];
      return { path: r.path, pairs, signature: signed(tokens.primary, r.path, pairs) };
    }),
    ...QUERY_VARIANTS.map(([name, query]) => plain(name, (r) => {
      const path = withQuery(r.path, query);
      return { path, pairs: r.pairs, signature: signed(tokens.primary, path, r.pairs) };
    })),
    plain('behind a proxy: other Host, X-Forwarded-Proto http', (r) => ({
      ...r, signature: signed(tokens.primary, r.path, r.pairs), headers: { host: 'internal.lan:3000', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'internal.lan' },
    })),
    plain('trailing space and tab (HTTP optional whitespace)', (r) => ({ ...r, signature: `${signed(tokens.primary, r.path, r.pairs)} \t` })),
    plain('with I-Twilio-Idempotency-Token', (r) => ({ ...r, signature: signed(tokens.primary, r.path, r.pairs), headers: { 'i-twilio-idempotency-token': randomBytes(16).toString('hex') } })),
  ];
  if (tokens.secondary) {
    const secondary = tokens.secondary;
    variants.push(plain('secondary auth token (rotation)', (r) => ({ ...r, signature: signed(secondary, r.path, r.pairs) })));
  }
  return variants;
}

export function deliver(api: TestApi, delivery: Delivery): Promise<RawResponse> {
  const headers: Record<string, string | readonly string[]> = { 'content-type': FORM, ...delivery.headers };
  if (delivery.signature !== null) headers['x-twilio-signature'] = delivery.signature;
  return rawRequest(api.url, { path: delivery.path, headers, body: formBody(delivery.pairs) });
}

/** Sends the forged corpus for every route, `rounds` times with fresh SIDs; returns every answer. */
export async function runForgedCorpus(api: TestApi, routes: readonly string[], rounds: number, firstSid: number): Promise<CorpusOutcome[]> {
  const outcomes: CorpusOutcome[] = [];
  let n = firstSid;
  for (let round = 0; round < rounds; round++) {
    for (const [index, route] of routes.entries()) {
      const request = genuineRequest(api, route, n++);
      const another = genuineRequest(api, route, n++);
      const otherRoute = routes[(index + 1) % routes.length];
      for (const delivery of forgeries(api.config.twilio.authToken, request, otherRoute, another)) {
        outcomes.push({ route, name: delivery.name, status: (await deliver(api, delivery)).status });
      }
    }
  }
  return outcomes;
}

/** Sends the genuine variants for every route, `rounds` times with fresh SIDs. */
export async function runGenuineCorpus(api: TestApi, routes: readonly string[], rounds: number, firstSid: number): Promise<CorpusOutcome[]> {
  const outcomes: CorpusOutcome[] = [];
  let n = firstSid;
  const tokens = { primary: api.config.twilio.authToken, secondary: api.config.twilio.authTokenSecondary };
  for (let round = 0; round < rounds; round++) {
    for (const route of routes) {
      for (const delivery of genuineVariants(tokens, () => genuineRequest(api, route, n++))) {
        outcomes.push({ route, name: delivery.name, status: (await deliver(api, delivery)).status });
      }
    }
  }
  return outcomes;
}

/** A genuine delivery of `request`, signed with the primary auth token. */
export function sendSigned(api: TestApi, request: WebhookRequest): Promise<RawResponse> {
  return deliver(api, { name: 'genuine', ...request, signature: signed(api.config.twilio.authToken, request.path, request.pairs) });
}
