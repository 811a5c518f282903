import { TwilioErrorCode, TwimlError } from '../twiml/twiml-errors';

/** What `rp` may name: connect time-out, read time-out, 4xx answers, 5xx answers (`all` = every one). */
export type RetryCondition = 'ct' | 'rt' | '4xx' | '5xx';

/**
 * Twilio's webhook connection overrides, written as a URL fragment (`…/voice#ct=1000&rc=2`) on any
 * webhook URL: voice URLs, action URLs, status callbacks. The fragment is never sent.
 */
export interface ConnectionOverrides {
  /** `ct`: time to set up the connection (TCP, and TLS for https), per attempt. */
  readonly connectTimeoutMs: number;
  /** `rt`: time from connection to the first byte of the answer, and between later packets. */
  readonly readTimeoutMs: number;
  /** `tt`: time for all attempts together. */
  readonly totalTimeoutMs: number;
  /** Whether the URL set `tt`: only then is running out of it reported as 11203. */
  readonly totalTimeoutGiven: boolean;
  /** `rc`: attempts after the first. */
  readonly retryCount: number;
  /** `rp`: which failures are retried. */
  readonly retryOn: ReadonlySet<RetryCondition>;
  /** `sni` (y/n): recorded; the sandbox always sends SNI for https hosts. */
  readonly sni: boolean;
  /** `e`: Twilio's egress edge; the sandbox has one (loopback) and only records it. */
  readonly edge?: string;
}

/** Twilio's documented defaults and ranges (ms, except rc). */
export const TWILIO_CONNECTION_DEFAULTS = { ct: 5000, rt: 15_000, tt: 15_000, rc: 1, rp: ['ct', 'rt'] as const };
const RANGES = { ct: [100, 10_000], rt: [100, 15_000], tt: [100, 15_000], rc: [0, 5] } as const;
const RETRY_CONDITIONS: readonly RetryCondition[] = ['ct', 'rt', '4xx', '5xx'];
/** Twilio's webhook egress edges. */
const EDGES = ['ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla'];

export interface ParsedWebhookUrl {
  /** The URL without its fragment: what is requested and signed. */
  readonly url: string;
  readonly overrides: ConnectionOverrides;
  /** Values the sandbox did not take as written (logged by the caller). */
  readonly warnings: readonly string[];
}

/**
 * Splits a webhook URL into the URL to request and its connection overrides. `defaults` replaces
 * Twilio's ct/rt/tt defaults (tests shorten them); each is also capped by the `tt` default.
 * Out-of-range numbers are brought into Twilio's range with a warning; an `rp` Twilio does not know
 * fails like Twilio's 11243 ("HTTP retry policy is invalid"), and nothing is requested.
 */
export function parseWebhookUrl(raw: string, defaults: Partial<Record<'ct' | 'rt' | 'tt', number>> = {}): ParsedWebhookUrl {
  const hash = raw.indexOf('#');
  const url = hash < 0 ? raw : raw.slice(0, hash);
  const fragment = new URLSearchParams(hash < 0 ? '' : raw.slice(hash + 1));
  const warnings: string[] = [];
  const tt = defaults.tt ?? TWILIO_CONNECTION_DEFAULTS.tt;
  const number = (key: keyof typeof RANGES, fallback: number): number => {
    const text = fragment.get(key);
    if (text === null) return fallback;
    const [min, max] = RANGES[key];
    const value = Number(text);
    if (!/^\d+$/.test(text)) {
      warnings.push(`${key}=${text} is not a whole number; using ${fallback}`);
      return fallback;
    }
    const bounded = Math.min(max, Math.max(min, value));
    if (bounded !== value) warnings.push(`${key}=${text} is outside Twilio's ${min}-${max}; using ${bounded}`);
    return bounded;
  };
  const overrides: ConnectionOverrides = {
    connectTimeoutMs: number('ct', Math.min(defaults.ct ?? TWILIO_CONNECTION_DEFAULTS.ct, tt)),
    readTimeoutMs: number('rt', Math.min(defaults.rt ?? TWILIO_CONNECTION_DEFAULTS.rt, tt)),
    totalTimeoutMs: number('tt', tt),
    totalTimeoutGiven: fragment.has('tt'),
    retryCount: number('rc', TWILIO_CONNECTION_DEFAULTS.rc),
    retryOn: retryPolicy(fragment.get('rp')),
    sni: sniOf(fragment.get('sni'), warnings),
    edge: edgeOf(fragment.get('e'), warnings),
  };
  for (const key of fragment.keys()) {
    if (!['ct', 'rt', 'tt', 'rc', 'rp', 'sni', 'e'].includes(key)) warnings.push(`unknown connection override "${key}" ignored`);
  }
  return { url, overrides, warnings };
}

function retryPolicy(text: string | null): ReadonlySet<RetryCondition> {
  if (text === null) return new Set(TWILIO_CONNECTION_DEFAULTS.rp);
  const names = text.split(',').map((name) => name.trim());
  const conditions = new Set<RetryCondition>();
  for (const name of names) {
    if (name === 'all') RETRY_CONDITIONS.forEach((c) => conditions.add(c));
    else if ((RETRY_CONDITIONS as readonly string[]).includes(name)) conditions.add(name as RetryCondition);
    else throw new TwimlError(TwilioErrorCode.InvalidRetryPolicy, `rp=${text}: "${name}" is not one of ${RETRY_CONDITIONS.join(', ')}, all`);
  }
  return conditions;
}

function sniOf(text: string | null, warnings: string[]): boolean {
  if (text === null || text === 'y') return true;
  if (text === 'n') return false;
  warnings.push(`sni=${text} is not y or n; using y`);
  return true;
}

function edgeOf(text: string | null, warnings: string[]): string | undefined {
  if (text === null) return undefined;
  if (!EDGES.includes(text)) warnings.push(`e=${text} is not one of Twilio's edges (${EDGES.join(', ')})`);
  return text;
}
