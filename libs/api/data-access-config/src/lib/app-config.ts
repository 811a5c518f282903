import { isIP } from 'node:net';
import { SANDBOX_CREDENTIALS, SANDBOX_DEFAULT_HOST, SANDBOX_DEFAULT_PORT, SANDBOX_NUMBERS, API_DEFAULT_PORT } from '@switchboard/shared-sandbox-defaults';
import type { ClientConfig, SwitchboardMode } from '@switchboard/shared-contracts';
import { SESSION_COOKIE } from '@switchboard/shared-contracts';
import { DEFAULT_NUMBER_POLICY, parseNumberPolicy, type NumberPolicy } from '@switchboard/shared-util-phone';
import { readCustomerCallAnchor, readHoldMusicUrl } from './call-control-config';
import { checkModeRules, readBrowserBoundaryConfig, readHttpServerConfig } from './boundary-config';
import { readRedisConfig } from './redis-config';
import { readAvailabilityConfig } from './availability-config';
import { readFloorConfig } from './floor-config';
import { readQualityConfig } from './quality-config';
import { ConfigError, type AppConfig } from './app-config-shape';

export { ConfigError, type AppConfig } from './app-config-shape';

type Env = Readonly<Record<string, string | undefined>>;

const TWILIO_PATTERNS = {
  TWILIO_ACCOUNT_SID: /^AC[0-9a-f]{32}$/,
  TWILIO_API_KEY_SID: /^SK[0-9a-f]{32}$/,
  TWILIO_TWIML_APP_SID: /^AP[0-9a-f]{32}$/,
} as const;

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const CLIENT_LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
const EDGES = /^[a-z][a-z0-9-]{1,30}$/;

/**
 * Validates the environment and builds the configuration. Every problem is collected and named by its
 * variable; secret values are never echoed. Throws ConfigError.
 */
export function loadAppConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const modeRaw = read('SWITCHBOARD_MODE') ?? 'sandbox';
  if (modeRaw !== 'sandbox' && modeRaw !== 'twilio') problems.push(`SWITCHBOARD_MODE must be "sandbox" or "twilio"`);
  const mode: SwitchboardMode = modeRaw === 'twilio' ? 'twilio' : 'sandbox';
  const isSandbox = mode === 'sandbox';
  checkModeRules(env, read, mode, problems);

  const integer = (name: string, fallback: number, min: number, max: number, hint = ''): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${name} must be a whole number between ${min} and ${max}${hint}`);
      return fallback;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      problems.push(`${name} must be between ${min} and ${max}${hint}`);
      return fallback; // reported once; later checks derived from it should not pile on
    }
    return value;
  };

  const url = (name: string, fallback: string | undefined): string => {
    const raw = read(name) ?? fallback;
    if (raw === undefined) {
      problems.push(`${name} is required`);
      return '';
    }
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
      if (parsed.search || parsed.hash) throw new Error('query');
      return parsed.toString().replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be an absolute http(s) URL without query or fragment`);
      return '';
    }
  };

  const port = integer('PORT', API_DEFAULT_PORT, 0, 65_535);
  const publicBaseUrl = url('PUBLIC_BASE_URL', `http://127.0.0.1:${port}`);

  /** In sandbox mode every TWILIO_* value defaults to the sandbox's; in twilio mode each is required. */
  const twilioValue = (name: string, sandboxDefault: string, check: (v: string) => boolean, rule: string, isSecret: boolean): string => {
    const raw = read(name) ?? (isSandbox ? sandboxDefault : undefined);
    if (raw === undefined) {
      problems.push(`${name} is required when SWITCHBOARD_MODE=twilio`);
      return '';
    }
    if (!check(raw)) problems.push(`${name} ${rule}${isSecret ? ' (value not shown)' : ''}`);
    return raw;
  };
  const sid = (name: keyof typeof TWILIO_PATTERNS, sandboxDefault: string) =>
    twilioValue(name, sandboxDefault, (v) => TWILIO_PATTERNS[name].test(v), `must look like ${TWILIO_PATTERNS[name].source}`, false);
  const secret = (name: string, sandboxDefault: string) =>
    twilioValue(name, sandboxDefault, (v) => /^[A-Za-z0-9]{32,}$/.test(v), 'must be at least 32 letters or digits', true);

  const accountSid = sid('TWILIO_ACCOUNT_SID', SANDBOX_CREDENTIALS.accountSid);
  const authToken = secret('TWILIO_AUTH_TOKEN', SANDBOX_CREDENTIALS.authToken);
  const authTokenSecondary = read('TWILIO_AUTH_TOKEN_SECONDARY') ?? null;
  if (authTokenSecondary !== null && !/^[A-Za-z0-9]{32,}$/.test(authTokenSecondary)) {
    problems.push('TWILIO_AUTH_TOKEN_SECONDARY must be at least 32 letters or digits (value not shown)');
  }
  const apiKeySid = sid('TWILIO_API_KEY_SID', SANDBOX_CREDENTIALS.apiKeySid);
  const apiKeySecret = secret('TWILIO_API_KEY_SECRET', SANDBOX_CREDENTIALS.apiKeySecret);
  const twimlAppSid = sid('TWILIO_TWIML_APP_SID', SANDBOX_CREDENTIALS.twimlAppSid);
  const callerId = twilioValue('TWILIO_CALLER_ID', SANDBOX_NUMBERS.callerId, (v) => /^\+[1-9]\d{1,14}$/.test(v), 'must be an E.164 number such as +14155550199', false);
  const sandboxOrigin = `https://${SANDBOX_DEFAULT_HOST}:${SANDBOX_DEFAULT_PORT}`;
  const apiBaseUrl = read('TWILIO_API_BASE_URL') !== undefined || isSandbox
    ? url('TWILIO_API_BASE_URL', isSandbox ? sandboxOrigin : undefined)
    : 'https://api.twilio.com';

  const ttlSeconds = integer('VOICE_TOKEN_TTL_SECONDS', 3600, 60, 86_400, ' (seconds; Twilio refuses tokens valid for more than 24 h)');
  const rateLimitMax = integer('VOICE_TOKEN_RATE_LIMIT', 30, 1, 100_000);
  const rateLimitWindowSeconds = integer('VOICE_TOKEN_RATE_WINDOW_SECONDS', 60, 1, 86_400);

  let numberPolicy: NumberPolicy = DEFAULT_NUMBER_POLICY;
  try {
    numberPolicy = parseNumberPolicy({
      allowedCountries: read('NUMBER_POLICY_ALLOWED_COUNTRIES'),
      blockedPrefixes: read('NUMBER_POLICY_BLOCKED_PREFIXES'),
      blockedTypes: read('NUMBER_POLICY_BLOCKED_TYPES'),
    });
  } catch (error) {
    // "Number policy allowedCountries: …" → name the variable it came from.
    const message = (error as Error).message;
    const variable = /blockedPrefixes/.test(message) ? 'NUMBER_POLICY_BLOCKED_PREFIXES'
      : /blockedTypes/.test(message) ? 'NUMBER_POLICY_BLOCKED_TYPES' : 'NUMBER_POLICY_ALLOWED_COUNTRIES';
    problems.push(`${variable}: ${message.replace(/^Number policy \w+: /, '')}`);
  }

  const dialTimeoutSeconds = integer('DIAL_TIMEOUT_SECONDS', 20, 5, 60);
  const voicemailMaxLengthSeconds = integer('VOICEMAIL_MAX_LENGTH_SECONDS', 120, 5, 3600);
  const holdMusicUrl = readHoldMusicUrl(read, problems);
  const customerCallAnchor = readCustomerCallAnchor(read, problems);
  const rescueWindowSeconds = integer('RESCUE_WINDOW_SECONDS', 60, 5, 600, ' (seconds)');
  const twimlDeadlineMs = integer('TWIML_DEADLINE_MS', 5000, 100, 14_000, ' (milliseconds; Twilio gives up after 15 s)');
  const reconcileIntervalSeconds = integer('RECONCILE_INTERVAL_SECONDS', 60, 0, 86_400, ' (0 turns the reconciler off)');
  const reconcileAfterSeconds = integer('RECONCILE_AFTER_SECONDS', 900, 10, 7 * 86_400);
  const sessionTtlSeconds = integer('SESSION_TTL_SECONDS', 12 * 3600, 60, 30 * 86_400);
  const signInLimits = {
    maxFailuresPerIdentity: integer('SIGN_IN_MAX_FAILURES_PER_IDENTITY', 5, 1, 1000),
    maxFailuresPerSource: integer('SIGN_IN_MAX_FAILURES_PER_SOURCE', 20, 1, 100_000),
    windowSeconds: integer('SIGN_IN_WINDOW_SECONDS', 900, 10, 86_400),
  };
  const trustedProxies = (read('TRUSTED_PROXIES') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (!trustedProxies.every(isProxyAddress)) {
    problems.push('TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal)');
  }
  const outboundLimits = {
    callTimeLimitSeconds: integer('OUTBOUND_CALL_TIME_LIMIT_SECONDS', 3600, 60, 14_400, ' (seconds; Twilio allows at most 4 h)'),
    activeCallsPerAgent: integer('OUTBOUND_ACTIVE_CALLS_PER_AGENT', 1, 1, 100),
    callsPerAgentPerHour: integer('OUTBOUND_CALLS_PER_AGENT_PER_HOUR', 30, 1, 10_000),
    callsPerDay: integer('OUTBOUND_CALLS_PER_DAY', 1000, 1, 10_000_000),
  };
  const retention = {
    sweepIntervalSeconds: integer('RETENTION_SWEEP_INTERVAL_SECONDS', 3600, 0, 86_400, ' (0 turns the purge off)'),
    callEventPayloadDays: integer('CALL_EVENT_PAYLOAD_RETENTION_DAYS', 30, 0, 36_500, ' (0 keeps payloads forever)'),
    voicemailDays: integer('VOICEMAIL_RETENTION_DAYS', 90, 0, 36_500, ' (0 keeps voicemail forever)'),
    outboundRefusalDays: integer('OUTBOUND_REFUSAL_RETENTION_DAYS', 90, 0, 36_500, ' (0 keeps the refusal audit forever)'),
  };

  const logLevelRaw = read('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelRaw)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const clientLogLevelRaw = read('CLIENT_LOG_LEVEL') ?? 'warn';
  if (!(CLIENT_LOG_LEVELS as readonly string[]).includes(clientLogLevelRaw)) problems.push(`CLIENT_LOG_LEVEL must be one of ${CLIENT_LOG_LEVELS.join(', ')}`);
  const edge = (read('TWILIO_EDGE') ?? 'roaming').split(',').map((e) => e.trim()).filter(Boolean);
  if (edge.length === 0 || edge.some((e) => !EDGES.test(e))) problems.push('TWILIO_EDGE must be a comma-separated list of edge names, e.g. ashburn,dublin');
  const tokenRefreshMs = integer('TOKEN_REFRESH_MS', 60_000, 1_000, 3_600_000);
  if (tokenRefreshMs >= ttlSeconds * 1000) problems.push('TOKEN_REFRESH_MS must be shorter than VOICE_TOKEN_TTL_SECONDS');

  const sandboxHost = read('SANDBOX_PUBLIC_HOST') ?? `${SANDBOX_DEFAULT_HOST}:${SANDBOX_DEFAULT_PORT}`;
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(sandboxHost)) problems.push('SANDBOX_PUBLIC_HOST must be host[:port], e.g. 127.0.0.1:8443');

  const { url: databaseUrl, dataDir, connectTimeoutMs, statementTimeoutMs } = readDatabaseConfig(read, problems);
  const staticDirRaw = read('STATIC_DIR');
  const staticDir = staticDirRaw === 'none' ? null : (staticDirRaw ?? 'dist/apps/softphone/browser');

  const demoPassword = isSandbox ? (read('DEMO_PASSWORD') ?? 'switchboard-demo') : null;
  if (demoPassword !== null && demoPassword.length < 8) problems.push('DEMO_PASSWORD must be at least 8 characters (value not shown)');

  const http = readHttpServerConfig(read, integer, mode, problems);
  const browser = readBrowserBoundaryConfig(read, { mode, port, publicBaseUrl }, problems);
  // An idle socket is closed after HTTP_CONNECTION_TIMEOUT_MS: the ping must come sooner or every stream
  // drops. Unset, it adapts to a short timeout; set, a value that is too long is refused.
  const heartbeatDefault = Math.max(1, Math.min(15, Math.floor(http.connectionTimeoutMs / 2000)));
  const heartbeatSeconds = integer('LIVE_EVENTS_HEARTBEAT_SECONDS', heartbeatDefault, 1, 300, ' (seconds)');
  if (heartbeatSeconds * 1000 >= http.connectionTimeoutMs) {
    problems.push('LIVE_EVENTS_HEARTBEAT_SECONDS must be shorter than HTTP_CONNECTION_TIMEOUT_MS, or idle event streams are cut');
  }

  const redis = readRedisConfig(read, problems);
  const availability = readAvailabilityConfig(read, integer, problems);
  const floor = readFloorConfig(read, integer, problems);
  const quality = readQualityConfig(integer);

  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    mode,
    port,
    publicBaseUrl,
    http,
    browser,
    database: { url: databaseUrl, dataDir, connectTimeoutMs, statementTimeoutMs },
    staticDir,
    logLevel: logLevelRaw as AppConfig['logLevel'],
    twilio: {
      accountSid, authToken, authTokenSecondary, apiKeySid, apiKeySecret, twimlAppSid, callerId, apiBaseUrl,
      acceptSelfSignedTls: isSandbox,
    },
    voiceToken: { ttlSeconds, rateLimitMax, rateLimitWindowSeconds },
    numberPolicy,
    calls: { dialTimeoutSeconds, voicemailMaxLengthSeconds, holdMusicUrl, customerCallAnchor, rescueWindowSeconds },
    resilience: { twimlDeadlineMs, reconcileIntervalSeconds, reconcileAfterSeconds },
    outboundLimits,
    retention,
    sessions: {
      ttlSeconds: sessionTtlSeconds,
      secureCookie: publicBaseUrl.startsWith('https:'),
      cookieName: publicBaseUrl.startsWith('https:') ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE,
    },
    signInLimits,
    trustedProxies,
    liveEvents: { heartbeatSeconds },
    redis,
    availability,
    floor,
    quality,
    demoPassword,
    client: {
      mode,
      sandboxSignalingHost: isSandbox ? sandboxHost : null,
      sandboxOrigin: isSandbox ? `https://${sandboxHost}` : null,
      edge,
      logLevel: clientLogLevelRaw as ClientConfig['logLevel'],
      tokenRefreshMs,
      lineTestMaxAgeHours: quality.lineTestMaxAgeHours,
    },
  });
}

/** What proxy-addr (Fastify's trustProxy) accepts: an address, a CIDR range, or a named range. */
function isProxyAddress(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

export interface DatabaseConfig {
  /** postgres://… for a real server; null for the embedded engine under `dataDir`. */
  readonly url: string | null;
  readonly dataDir: string;
  /** Real server only: give up opening a connection after this long (a dead server fails fast). */
  readonly connectTimeoutMs: number;
  /** Real server only: the server cancels a statement running longer than this. */
  readonly statementTimeoutMs: number;
}

/**
 * Only the database part of the configuration (DATABASE_URL, DATA_DIR), validated by the same rules as
 * {@link loadAppConfig}: for tools such as the admin command line that open the API's database but
 * need no Twilio credentials. Throws ConfigError.
 */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const problems: string[] = [];
  const config = readDatabaseConfig((name) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function readDatabaseConfig(read: (name: string) => string | undefined, problems: string[]): DatabaseConfig {
  const url = read('DATABASE_URL') ?? null;
  if (url !== null && !/^postgres(ql)?:\/\//.test(url)) problems.push('DATABASE_URL must start with postgres:// (value not shown)');
  const millis = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number of milliseconds between ${min} and ${max}`);
      return fallback;
    }
    return Number(raw);
  };
  return {
    url,
    dataDir: read('DATA_DIR') ?? '.data',
    connectTimeoutMs: millis('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 60_000),
    statementTimeoutMs: millis('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000),
  };
}

/**
 * Absolute URL on the public origin for a route, with every query value percent-encoded, so the URL we
 * hand Twilio is byte-for-byte what it will sign (no raw `'`, spaces or non-ASCII; reliability W4).
 */
export function publicUrl(config: Pick<AppConfig, 'publicBaseUrl'>, path: string, query?: Readonly<Record<string, string>>): string {
  const search = query
    ? Object.entries(query).map(([k, v]) => `${encodeStrict(k)}=${encodeStrict(v)}`).join('&')
    : '';
  return `${config.publicBaseUrl}${path}${search ? `?${search}` : ''}`;
}

function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
