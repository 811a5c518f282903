import { freePort } from '../support/free-port';
import { isListening, spawnApiEntry } from './api-process';

/**
 * Fail closed at the real entry point (issue 10 item 3): the API process started with a bad environment exits
 * non-zero, names every problem at once on stderr, and never listens. libs/api/data-access-config's specs
 * check loadAppConfig's rules in-process; this checks what main.ts does with them.
 */
const REAL_LOOKING = {
  TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'R3alL00kingAuthT0ken000000000000x',
  TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'R3alL00kingApiKeySecret000000000y',
  TWILIO_TWIML_APP_SID: `AP${'3'.repeat(32)}`,
  TWILIO_CALLER_ID: '+14155550100',
};

const PROBE_INTERVAL_MS = 20;

const CASES: ReadonlyArray<{ name: string; env: Record<string, string>; problems: RegExp[] }> = [
  {
    name: 'TWILIO_* values without SWITCHBOARD_MODE',
    env: { TWILIO_ACCOUNT_SID: REAL_LOOKING.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: REAL_LOOKING.TWILIO_AUTH_TOKEN },
    problems: [
      /SWITCHBOARD_MODE is required when any TWILIO_\* variable is set \(found TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN\)/,
      /TWILIO_ACCOUNT_SID is not the voice sandbox's/,
      /TWILIO_AUTH_TOKEN is not the voice sandbox's \(value not shown\)/,
    ],
  },
  {
    name: 'sandbox mode with real-looking credentials and Twilio\'s REST host',
    env: {
      SWITCHBOARD_MODE: 'sandbox', TWILIO_API_KEY_SID: REAL_LOOKING.TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET: REAL_LOOKING.TWILIO_API_KEY_SECRET,
      TWILIO_API_BASE_URL: 'https://api.twilio.com',
    },
    problems: [
      /TWILIO_API_KEY_SID is not the voice sandbox's/,
      /TWILIO_API_KEY_SECRET is not the voice sandbox's \(value not shown\)/,
      /TWILIO_API_BASE_URL points at Twilio/,
    ],
  },
  {
    name: 'twilio mode missing its settings',
    env: { SWITCHBOARD_MODE: 'twilio', TWILIO_ACCOUNT_SID: REAL_LOOKING.TWILIO_ACCOUNT_SID },
    problems: ['TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET', 'TWILIO_TWIML_APP_SID', 'TWILIO_CALLER_ID']
      .map((name) => new RegExp(`${name} is required when SWITCHBOARD_MODE=twilio`)),
  },
  {
    name: 'several unrelated problems at once',
    env: {
      ...REAL_LOOKING, SWITCHBOARD_MODE: 'twilio', TWILIO_AUTH_TOKEN: 'short', PUBLIC_BASE_URL: 'ftp://switchboard.test',
      DATABASE_URL: 'mysql://db.internal/switchboard', TWIML_DEADLINE_MS: '20000', HOST: 'not a host',
    },
    problems: [
      /PUBLIC_BASE_URL must be an absolute http\(s\) URL/,
      /TWILIO_AUTH_TOKEN must be at least 32 letters or digits \(value not shown\)/,
      /TWIML_DEADLINE_MS must be between 100 and 14000/,
      /DATABASE_URL must start with postgres:\/\/ \(value not shown\)/,
      /HOST must be an IP address or a host name/,
    ],
  },
];

describe('the API process started with a bad environment', () => {
  it.each(CASES)('$name: exits non-zero naming every problem at once, and never listens', async ({ env, problems }) => {
    const port = await freePort();
    const api = spawnApiEntry({ PORT: String(port), DATA_DIR: 'memory://', STATIC_DIR: 'none', LOG_LEVEL: 'info', ...env });
    // Probed every few milliseconds for as long as the process lives (a listening API stays up, so a probe finds it).
    let accepted = 0;
    let running = true;
    const exited = api.exited.finally(() => { running = false; });
    while (running) {
      if (await isListening(port)) accepted++;
      await new Promise((resolveLater) => setTimeout(resolveLater, PROBE_INTERVAL_MS));
    }
    const exit = await exited;

    expect({ exit, accepted }).toEqual({ exit: { code: 1, signal: null }, accepted: 0 });
    const stderr = api.stderr();
    const listed = stderr.split('\n').filter((line) => line.startsWith('  - '));
    for (const problem of problems) expect(listed.filter((line) => problem.test(line))).toHaveLength(1);
    expect(listed).toHaveLength(problems.length);
    expect(stderr).toMatch(/^Invalid configuration:\n/);
    // Secrets are named, never shown.
    for (const secret of [REAL_LOOKING.TWILIO_AUTH_TOKEN, REAL_LOOKING.TWILIO_API_KEY_SECRET, 'short', 'db.internal']) {
      expect(`${stderr}${api.stdout()}`).not.toContain(secret);
    }
    expect(api.stdout()).not.toMatch(/Switchboard API \(/);
  });
});
