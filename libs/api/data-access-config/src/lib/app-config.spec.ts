import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { ConfigError, loadAppConfig, loadDatabaseConfig, publicUrl } from './app-config';
import { TWILIO_ENV, problemsOf } from './config-spec-helpers';

describe('loadAppConfig', () => {
  it('defaults every Twilio value to the sandbox in sandbox mode, and seeds with the demo password', () => {
    const config = loadAppConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.twilio).toEqual({
      ...SANDBOX_CREDENTIALS, authTokenSecondary: null, callerId: SANDBOX_NUMBERS.callerId, apiBaseUrl: 'https://127.0.0.1:8443', acceptSelfSignedTls: true,
    });
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:3000');
    expect(config.demoPassword).toBe('switchboard-demo');
    expect(config.voiceToken.ttlSeconds).toBe(3600);
    expect(config.database).toEqual({ url: null, dataDir: '.data', connectTimeoutMs: 5000, statementTimeoutMs: 10_000 });
    expect(config.resilience).toEqual({ twimlDeadlineMs: 5000, reconcileIntervalSeconds: 60, reconcileAfterSeconds: 900 });
  });

  it('lets each sandbox default be overridden on its own', () => {
    const config = loadAppConfig({ SWITCHBOARD_MODE: 'sandbox', TWILIO_CALLER_ID: '+14155550111', PORT: '4000' });
    expect(config.twilio.callerId).toBe('+14155550111');
    expect(config.twilio.accountSid).toBe(SANDBOX_CREDENTIALS.accountSid);
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:4000');
  });

  it('requires every Twilio variable in twilio mode, seeds nothing and never trusts self-signed TLS', () => {
    expect(problemsOf({ SWITCHBOARD_MODE: 'twilio' })).toEqual(expect.arrayContaining([
      'TWILIO_ACCOUNT_SID is required when SWITCHBOARD_MODE=twilio',
      'TWILIO_AUTH_TOKEN is required when SWITCHBOARD_MODE=twilio',
      'TWILIO_API_KEY_SID is required when SWITCHBOARD_MODE=twilio',
      'TWILIO_API_KEY_SECRET is required when SWITCHBOARD_MODE=twilio',
      'TWILIO_TWIML_APP_SID is required when SWITCHBOARD_MODE=twilio',
      'TWILIO_CALLER_ID is required when SWITCHBOARD_MODE=twilio',
    ]));
    const config = loadAppConfig(TWILIO_ENV);
    expect(config.demoPassword).toBeNull();
    expect(config.twilio.apiBaseUrl).toBe('https://api.twilio.com');
    expect(config.twilio.acceptSelfSignedTls).toBe(false);
    expect(config.client.sandboxSignalingHost).toBeNull();
  });

  it.each([
    [{ VOICE_TOKEN_TTL_SECONDS: '86401' }, 'VOICE_TOKEN_TTL_SECONDS'],
    [{ VOICE_TOKEN_TTL_SECONDS: '0' }, 'VOICE_TOKEN_TTL_SECONDS'],
    [{ VOICE_TOKEN_TTL_SECONDS: 'abc' }, 'VOICE_TOKEN_TTL_SECONDS'],
    [{ VOICE_TOKEN_TTL_SECONDS: '3600000' }, 'VOICE_TOKEN_TTL_SECONDS'],
    [{ SWITCHBOARD_MODE: 'prod' }, 'SWITCHBOARD_MODE'],
    [{ PUBLIC_BASE_URL: 'ftp://x' }, 'PUBLIC_BASE_URL'],
    [{ PUBLIC_BASE_URL: 'https://x.test/?a=1' }, 'PUBLIC_BASE_URL'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://u:pw@h/db' }, 'DATABASE_URL'],
    [{ NUMBER_POLICY_ALLOWED_COUNTRIES: 'US,XX' }, 'NUMBER_POLICY_ALLOWED_COUNTRIES'],
    [{ NUMBER_POLICY_BLOCKED_PREFIXES: '1900' }, 'NUMBER_POLICY_BLOCKED_PREFIXES'],
    [{ ...TWILIO_ENV, TWILIO_ACCOUNT_SID: 'AC123' }, 'TWILIO_ACCOUNT_SID'],
    [{ ...TWILIO_ENV, TWILIO_CALLER_ID: '415-555-0100' }, 'TWILIO_CALLER_ID'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SANDBOX_PUBLIC_HOST: 'wss://x' }, 'SANDBOX_PUBLIC_HOST'],
    [{ SWITCHBOARD_MODE: 'sandbox', TWILIO_AUTH_TOKEN_SECONDARY: 'short' }, 'TWILIO_AUTH_TOKEN_SECONDARY'],
    [{ SIGN_IN_MAX_FAILURES_PER_IDENTITY: '0' }, 'SIGN_IN_MAX_FAILURES_PER_IDENTITY'],
    [{ SIGN_IN_MAX_FAILURES_PER_SOURCE: 'many' }, 'SIGN_IN_MAX_FAILURES_PER_SOURCE'],
    [{ SIGN_IN_WINDOW_SECONDS: '5' }, 'SIGN_IN_WINDOW_SECONDS'],
    [{ TRUSTED_PROXIES: '10.0.0.1,proxy.example.com' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES'],
  ])('refuses %j naming %s', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable}\\b`));
  });

  it('limits sign-in failures by default, trusts no proxy unless told, and reads a rotation token', () => {
    const defaults = loadAppConfig({});
    expect(defaults.signInLimits).toEqual({ maxFailuresPerIdentity: 5, maxFailuresPerSource: 20, windowSeconds: 900 });
    expect(defaults.trustedProxies).toEqual([]);
    const set = loadAppConfig({ SWITCHBOARD_MODE: 'sandbox', TRUSTED_PROXIES: ' 10.0.0.0/8, ::1 ,loopback', TWILIO_AUTH_TOKEN_SECONDARY: 'c'.repeat(32) });
    expect(set.trustedProxies).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(set.twilio.authTokenSecondary).toBe('c'.repeat(32));
  });

  it('never echoes a secret value in its messages', () => {
    const secret = 'short-secret-value!';
    const problems = problemsOf({
      ...TWILIO_ENV, TWILIO_AUTH_TOKEN: secret, TWILIO_AUTH_TOKEN_SECONDARY: secret, TWILIO_API_KEY_SECRET: secret, DATABASE_URL: `mysql://u:${secret}@h`,
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('reads the database limits, the TwiML deadline and the reconciler settings, naming a bad one', () => {
    const config = loadAppConfig({
      DATABASE_CONNECT_TIMEOUT_MS: '2000', DATABASE_STATEMENT_TIMEOUT_MS: '3000',
      TWIML_DEADLINE_MS: '4000', RECONCILE_INTERVAL_SECONDS: '0', RECONCILE_AFTER_SECONDS: '120',
    });
    expect(config.database).toMatchObject({ connectTimeoutMs: 2000, statementTimeoutMs: 3000 });
    expect(config.resilience).toEqual({ twimlDeadlineMs: 4000, reconcileIntervalSeconds: 0, reconcileAfterSeconds: 120 });
    for (const [name, value] of [['TWIML_DEADLINE_MS', '15000'], ['DATABASE_STATEMENT_TIMEOUT_MS', 'slow'], ['RECONCILE_AFTER_SECONDS', '1']]) {
      expect(problemsOf({ [name]: value })).toEqual([expect.stringContaining(name)]);
    }
  });

  it('keeps the outbound-refusal audit 90 days by default, reads another number of days, and names a bad value', () => {
    expect(loadAppConfig({}).retention.outboundRefusalDays).toBe(90);
    expect(loadAppConfig({ OUTBOUND_REFUSAL_RETENTION_DAYS: '0' }).retention.outboundRefusalDays).toBe(0);
    expect(loadAppConfig({ OUTBOUND_REFUSAL_RETENTION_DAYS: '365' }).retention.outboundRefusalDays).toBe(365);
    for (const value of ['-1', 'ninety', '36501', '7.5']) {
      expect(problemsOf({ OUTBOUND_REFUSAL_RETENTION_DAYS: value })).toEqual([expect.stringMatching(/^OUTBOUND_REFUSAL_RETENTION_DAYS must be .*between 0 and 36500/)]);
    }
  });

  it('pings live-event streams every 15 s by default, reads another interval, and refuses one the socket timeout would cut', () => {
    expect(loadAppConfig({}).liveEvents).toEqual({ heartbeatSeconds: 15 });
    expect(loadAppConfig({ LIVE_EVENTS_HEARTBEAT_SECONDS: '30' }).liveEvents.heartbeatSeconds).toBe(30);
    for (const value of ['0', '301', 'often', '2.5']) {
      expect(problemsOf({ LIVE_EVENTS_HEARTBEAT_SECONDS: value })).toEqual([expect.stringMatching(/^LIVE_EVENTS_HEARTBEAT_SECONDS must be .*between 1 and 300/)]);
    }
    expect(problemsOf({ LIVE_EVENTS_HEARTBEAT_SECONDS: '60', HTTP_CONNECTION_TIMEOUT_MS: '60000' }))
      .toEqual(['LIVE_EVENTS_HEARTBEAT_SECONDS must be shorter than HTTP_CONNECTION_TIMEOUT_MS, or idle event streams are cut']);
    expect(loadAppConfig({ LIVE_EVENTS_HEARTBEAT_SECONDS: '59', HTTP_CONNECTION_TIMEOUT_MS: '60000' }).liveEvents.heartbeatSeconds).toBe(59);
    // Unset, it stays under a short connection timeout instead of refusing to start.
    expect(loadAppConfig({ HTTP_CONNECTION_TIMEOUT_MS: '10000' }).liveEvents.heartbeatSeconds).toBe(5);
  });

  it('builds public URLs whose query values are strictly percent-encoded', () => {
    const url = publicUrl({ publicBaseUrl: 'https://x.test' }, '/webhooks/voice/status', { who: "o'brien é &x" });
    expect(url).toBe('https://x.test/webhooks/voice/status?who=o%27brien%20%C3%A9%20%26x');
    expect([...url].every((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) < 0x7f && c !== "'")).toBe(true);
  });
});

describe('loadDatabaseConfig', () => {
  it('reads only DATABASE_URL and DATA_DIR, so twilio mode without Twilio variables still opens the database', () => {
    expect(loadDatabaseConfig({ SWITCHBOARD_MODE: 'twilio' })).toEqual({ url: null, dataDir: '.data', connectTimeoutMs: 5000, statementTimeoutMs: 10_000 });
    expect(loadDatabaseConfig({ DATABASE_URL: ' postgres://db/switchboard ', DATA_DIR: '/var/lib/sb' }))
      .toEqual({ url: 'postgres://db/switchboard', dataDir: '/var/lib/sb', connectTimeoutMs: 5000, statementTimeoutMs: 10_000 });
  });

  it('refuses a DATABASE_URL that loadAppConfig refuses, without echoing it', () => {
    const env = { DATABASE_URL: 'mysql://u:hunter2@h/db' };
    expect(() => loadDatabaseConfig(env)).toThrow(ConfigError);
    expect(() => loadDatabaseConfig(env)).toThrow(/DATABASE_URL must start with postgres:\/\//);
    expect(() => loadDatabaseConfig(env)).not.toThrow(/hunter2/);
  });
});
