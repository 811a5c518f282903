import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import { ConfigError, loadAppConfig } from './app-config';
import { TWILIO_ENV, problemsOf } from './config-spec-helpers';

describe('loadAppConfig: the mode fails closed', () => {
  it('refuses real-looking Twilio values without SWITCHBOARD_MODE instead of running the sandbox with them', () => {
    const { SWITCHBOARD_MODE: _mode, ...withoutMode } = TWILIO_ENV;
    const problems = problemsOf(withoutMode);
    expect(problems.filter((p) => p.startsWith('SWITCHBOARD_MODE is required when any TWILIO_* variable is set'))).toHaveLength(1);
    expect(problems.find((p) => p.startsWith('SWITCHBOARD_MODE'))).toContain('TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SECRET');
    // Naming the variables, never their values.
    expect(problems.join('\n')).not.toContain('a'.repeat(32));
  });

  it('asks for the mode even for one TWILIO_* value that is not a credential', () => {
    expect(problemsOf({ TWILIO_EDGE: 'dublin' })).toEqual([expect.stringMatching(/^SWITCHBOARD_MODE is required .*found TWILIO_EDGE\)/)]);
    expect(problemsOf({ SWITCHBOARD_MODE: 'sandbox', TWILIO_EDGE: 'dublin' })).toEqual([]);
  });

  it('still starts with no configuration at all: the sandbox, bound to loopback', () => {
    const config = loadAppConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.http.host).toBe('127.0.0.1');
  });

  it.each(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET', 'TWILIO_TWIML_APP_SID'] as const)(
    'refuses a %s other than the sandbox\'s in sandbox mode, without echoing it',
    (name) => {
      const problems = problemsOf({ SWITCHBOARD_MODE: 'sandbox', [name]: TWILIO_ENV[name] });
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name} is not the voice sandbox's.*SWITCHBOARD_MODE=twilio`))]);
      expect(problems[0]).not.toContain(TWILIO_ENV[name]);
    },
  );

  it('accepts the sandbox\'s own credentials spelled out in sandbox mode', () => {
    expect(problemsOf({ SWITCHBOARD_MODE: 'sandbox', TWILIO_ACCOUNT_SID: SANDBOX_CREDENTIALS.accountSid, TWILIO_AUTH_TOKEN: SANDBOX_CREDENTIALS.authToken })).toEqual([]);
  });

  it('refuses a sandbox-mode REST base URL on twilio.com, where it would accept any certificate', () => {
    expect(problemsOf({ SWITCHBOARD_MODE: 'sandbox', TWILIO_API_BASE_URL: 'https://api.twilio.com' }))
      .toEqual([expect.stringMatching(/^TWILIO_API_BASE_URL points at Twilio/)]);
  });

  it('names every problem at once in one error', () => {
    const { SWITCHBOARD_MODE: _mode, ...withoutMode } = TWILIO_ENV;
    let error: unknown;
    try {
      loadAppConfig({ ...withoutMode, PORT: '99999', HOST: 'not a host', HTTP_REQUEST_TIMEOUT_MS: '5', FRAME_ANCESTORS: 'javascript:alert(1)' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const variable of ['SWITCHBOARD_MODE', 'TWILIO_ACCOUNT_SID', 'PORT', 'HOST', 'HTTP_REQUEST_TIMEOUT_MS', 'FRAME_ANCESTORS']) {
      expect(message).toMatch(new RegExp(`\\n  - ${variable}\\b`));
    }
  });
});

describe('loadAppConfig: HTTP server and browser boundary', () => {
  it('binds loopback in sandbox mode, every interface in twilio mode, and HOST wins in both', () => {
    expect(loadAppConfig({ SWITCHBOARD_MODE: 'sandbox' }).http.host).toBe('127.0.0.1');
    expect(loadAppConfig(TWILIO_ENV).http.host).toBe('0.0.0.0');
    expect(loadAppConfig({ SWITCHBOARD_MODE: 'sandbox', HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
    expect(loadAppConfig({ ...TWILIO_ENV, HOST: '10.0.0.5' }).http.host).toBe('10.0.0.5');
  });

  it('has finite request, connection and keep-alive timeouts and a 64 KB body limit by default, each configurable', () => {
    expect(loadAppConfig({}).http).toEqual({
      host: '127.0.0.1', bodyLimitBytes: 65_536, requestTimeoutMs: 30_000, connectionTimeoutMs: 120_000, keepAliveTimeoutMs: 72_000,
    });
    const http = loadAppConfig({ HTTP_BODY_LIMIT_BYTES: '2048', HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_CONNECTION_TIMEOUT_MS: '5000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '4000' }).http;
    expect(http).toMatchObject({ bodyLimitBytes: 2048, requestTimeoutMs: 1000, connectionTimeoutMs: 5000, keepAliveTimeoutMs: 4000 });
    expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '0' })).toEqual([expect.stringMatching(/^HTTP_REQUEST_TIMEOUT_MS must be between/)]);
  });

  it('allows only the public origin to call /api, plus loopback aliases of the default one', () => {
    expect(loadAppConfig(TWILIO_ENV).browser.allowedOrigins).toEqual(['https://voice.example.com']);
    expect(loadAppConfig({ PORT: '4000' }).browser.allowedOrigins)
      .toEqual(['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000']);
  });

  it('frames nowhere by default, and only at configured origins', () => {
    expect(loadAppConfig({}).browser.frameAncestors).toEqual([]);
    expect(loadAppConfig({ FRAME_ANCESTORS: 'https://crm.example.com, https://intranet.example.com:8443/' }).browser.frameAncestors)
      .toEqual(['https://crm.example.com', 'https://intranet.example.com:8443']);
    for (const bad of ['*', 'crm.example.com', 'https://crm.example.com/page', "'self'"]) {
      expect(problemsOf({ FRAME_ANCESTORS: bad })).toEqual([expect.stringMatching(/^FRAME_ANCESTORS must be/)]);
    }
  });

  it('sends HSTS only for an https public URL, and serves API docs in twilio mode only when asked', () => {
    expect(loadAppConfig({}).browser).toMatchObject({ hsts: false, apiDocs: true });
    expect(loadAppConfig(TWILIO_ENV).browser).toMatchObject({ hsts: true, apiDocs: false });
    expect(loadAppConfig({ ...TWILIO_ENV, API_DOCS: 'on' }).browser.apiDocs).toBe(true);
    expect(loadAppConfig({ API_DOCS: 'off' }).browser.apiDocs).toBe(false);
    expect(problemsOf({ API_DOCS: 'yes' })).toEqual(['API_DOCS must be "on" or "off"']);
  });
});

describe('loadAppConfig: the session cookie', () => {
  it('takes the __Host- prefix on https, and keeps the plain name on http where the prefix cannot be set', () => {
    expect(loadAppConfig(TWILIO_ENV).sessions).toMatchObject({ secureCookie: true, cookieName: '__Host-sb_session' });
    expect(loadAppConfig({}).sessions).toMatchObject({ secureCookie: false, cookieName: 'sb_session' });
  });
});
