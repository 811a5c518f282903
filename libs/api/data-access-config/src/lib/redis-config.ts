/**
 * REDIS_URL: unset (the embedded default), every API instance keeps its live events to itself; set, the
 * instances share them over Redis pub/sub, which running several behind a load balancer needs (issue 13).
 * REDIS_KEY_PREFIX names what Switchboard uses in that Redis (the live-event channel, later keys), so two
 * deployments can share one server: pub/sub ignores the `/db` number, so the prefix is what separates them.
 */
export interface RedisConfig {
  /** `redis://` or `rediss://` (TLS), as ioredis takes it. Holds the password when there is one: never log it. */
  readonly url: string;
  readonly keyPrefix: string;
}

export const DEFAULT_REDIS_KEY_PREFIX = 'switchboard:';

const URL_RULE = 'REDIS_URL must be redis://[user:password@]host[:port][/db] or rediss://… for TLS, db 0 to 15, no query or fragment (value not shown)';
const PREFIX_RULE = 'REDIS_KEY_PREFIX must be 1 to 64 letters, digits or : _ . -';

/** Null when REDIS_URL is unset. A malformed one is a problem (start-up fails) rather than a silent fallback to one instance's bus. */
export function readRedisConfig(read: (name: string) => string | undefined, problems: string[]): RedisConfig | null {
  const raw = read('REDIS_URL');
  const keyPrefix = read('REDIS_KEY_PREFIX') ?? DEFAULT_REDIS_KEY_PREFIX;
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(keyPrefix)) problems.push(PREFIX_RULE);
  if (raw === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    problems.push(URL_RULE);
    return null;
  }
  const db = parsed.pathname.replace(/^\//, '');
  const valid = (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:')
    && parsed.hostname !== ''
    && (db === '' || (/^\d{1,2}$/.test(db) && Number(db) <= 15))
    && parsed.search === '' && parsed.hash === '' && !raw.includes('#');
  if (!valid) {
    problems.push(URL_RULE);
    return null;
  }
  return { url: raw, keyPrefix };
}

/** The URL without its credentials, for logs and messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
