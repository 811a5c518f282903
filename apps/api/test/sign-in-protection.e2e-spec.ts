import { randomBytes } from 'node:crypto';
import { AgentsRepository, signInFailures } from '@switchboard/api-data-access-db';
import { hashPassword, SCRYPT_PARAMS, scryptParamsOf } from '@switchboard/api-feature-auth';
import { API_ROUTES, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { getExpectedTwilioSignature } from 'twilio';
import { callSid, ENGINES, postWebhook, PUBLIC_BASE_URL, signIn, startApi, type TestApi } from './support';

const LIMITS = { SIGN_IN_MAX_FAILURES_PER_IDENTITY: '3', SIGN_IN_MAX_FAILURES_PER_SOURCE: '8', SIGN_IN_WINDOW_SECONDS: '600' };
const SECONDARY_TOKEN = 'S'.repeat(32);
const PASSWORD = 'switchboard-demo';

/**
 * Issue 10, items 1 and 8. Two apps: `direct` trusts no proxy and has no secondary auth token;
 * `proxied` trusts 127.0.0.1 as its proxy and accepts TWILIO_AUTH_TOKEN_SECONDARY. On Postgres they
 * share one database, as two API instances do; the embedded engine serves one process, so there each
 * has its own.
 */
describe.each(ENGINES)('sign-in limits, trusted proxy, rehash, directory and auth-token rotation (%s)', (engine) => {
  let direct: TestApi;
  let proxied: TestApi;
  beforeAll(async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    direct = await startApi(engine, LIMITS, { schema });
    proxied = await startApi(engine, { ...LIMITS, TRUSTED_PROXIES: '127.0.0.1', TWILIO_AUTH_TOKEN_SECONDARY: SECONDARY_TOKEN }, { schema });
  }, 240_000); // two app starts: on a busy two-core machine each can take most of a minute
  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
  });
  // Every test starts with no failures counted, on both databases.
  beforeEach(async () => {
    for (const api of [direct, proxied]) await api.database.db.delete(signInFailures);
  });

  const login = (api: TestApi, identity: string, password: string, forwardedFor?: string) => fetch(`${api.url}${API_ROUTES.auth.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ identity, password }),
  });
  /** Status of each attempt, in order, and the last answer. */
  const attempts = async (count: number, attempt: (i: number) => Promise<Response>) => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < count; i++) {
      last = await attempt(i);
      statuses.push(last.status);
    }
    return { statuses, last: last as Response };
  };
  const retryAfterOf = (response: Response) => Number(response.headers.get('retry-after'));

  describe('sign-in limits', () => {
    it('answers 429 with Retry-After once an identity has its failures, even for the right password, and the same for an unknown identity', async () => {
      const known = await attempts(4, (i) => login(direct, 'alice', i < 3 ? 'wrong-password' : PASSWORD));
      const unknown = await attempts(4, (i) => login(direct, 'mallory', i < 3 ? 'wrong-password' : PASSWORD));
      expect(known.statuses).toEqual([401, 401, 401, 429]);
      expect(unknown.statuses).toEqual(known.statuses);
      for (const { last } of [known, unknown]) {
        expect(retryAfterOf(last)).toBeGreaterThanOrEqual(1);
        expect(retryAfterOf(last)).toBeLessThanOrEqual(600);
        expect(last.headers.get('set-cookie')).toBeNull();
      }
      expect(await known.last.json()).toEqual(await unknown.last.json());
      expect((await login(direct, 'bob', PASSWORD)).status).toBe(200); // another identity is not locked
    });

    it('clears an identity\'s failures when it signs in', async () => {
      const { statuses } = await attempts(7, (i) => login(direct, 'alice', i === 2 ? PASSWORD : 'wrong-password'));
      // Without the reset the fifth attempt would see three failures and be refused.
      expect(statuses).toEqual([401, 401, 200, 401, 401, 401, 429]);
    });

    it('limits failures per source address across identities, without trusting X-Forwarded-For from an untrusted peer', async () => {
      const { statuses } = await attempts(9, (i) => login(direct, `guess${i}`, 'wrong-password', `198.51.100.${i + 1}`));
      expect(statuses).toEqual([...Array(8).fill(401), 429]);
    });

    it('takes the source address from X-Forwarded-For when the peer is a trusted proxy', async () => {
      const spread = await attempts(9, (i) => login(proxied, `guess${i}`, 'wrong-password', `198.51.100.${i + 1}`));
      expect(spread.statuses).toEqual(Array(9).fill(401));
      const oneClient = await attempts(9, (i) => login(proxied, `other${i}`, 'wrong-password', '203.0.113.9'));
      expect(oneClient.statuses).toEqual([...Array(8).fill(401), 429]);
      expect((await login(proxied, 'bob', PASSWORD, '203.0.113.10')).status).toBe(200);
    });

    if (engine === 'postgres') {
      // The embedded engine serves one process, so only a shared Postgres has several instances.
      it('holds the limit across two API instances on one database', async () => {
        await attempts(3, () => login(direct, 'alice', 'wrong-password'));
        const elsewhere = await login(proxied, 'alice', PASSWORD);
        expect(elsewhere.status).toBe(429);
        expect(retryAfterOf(elsewhere)).toBeGreaterThanOrEqual(1);
      });
    }
  });

  it('rehashes a password stored with older scrypt parameters at the next successful sign-in', async () => {
    const agents = direct.app.get(AgentsRepository);
    const oldHash = await hashPassword(PASSWORD, { N: 16_384, r: 8, p: 1 });
    await agents.insert({ identity: 'olivia', displayName: 'Olivia Old', role: 'agent', enabled: true, passwordHash: oldHash });
    expect((await login(direct, 'olivia', 'wrong-password')).status).toBe(401);
    expect((await agents.findByIdentity('olivia'))?.passwordHash).toBe(oldHash); // a failure changes nothing
    expect((await login(direct, 'olivia', PASSWORD)).status).toBe(200);
    const upgraded = (await agents.findByIdentity('olivia'))?.passwordHash ?? '';
    expect(upgraded).not.toBe(oldHash);
    expect(scryptParamsOf(upgraded)).toEqual(SCRYPT_PARAMS);
    expect(SCRYPT_PARAMS).not.toEqual({ N: 16_384, r: 8, p: 1 });
    expect((await login(direct, 'olivia', PASSWORD)).status).toBe(200); // the new hash verifies
  });

  it('lists for an agent the colleagues they may call, by identity and display name only', async () => {
    const agents = direct.app.get(AgentsRepository);
    await agents.insert({ identity: 'dora', displayName: 'Dora Disabled', role: 'agent', enabled: false, passwordHash: await hashPassword(PASSWORD) });
    const directoryOf = async (identity: string) => {
      const response = await fetch(`${direct.url}${API_ROUTES.agents}`, { headers: { cookie: await signIn(direct, identity) } });
      expect(response.status).toBe(200);
      return (await response.json()) as Array<Record<string, unknown>>;
    };
    const forAlice = await directoryOf('alice');
    for (const entry of forAlice) expect(Object.keys(entry).sort()).toEqual(['displayName', 'identity']);
    const identities = forAlice.map((entry) => entry.identity);
    expect(identities).toEqual(expect.arrayContaining(['bob', 'sam']));
    expect(identities).not.toContain('alice');
    expect(identities).not.toContain('dora');
    expect(forAlice).toContainEqual({ identity: 'sam', displayName: 'Sam Supervisor' }); // callable, role not given
    const forSam = (await directoryOf('sam')).map((entry) => entry.identity);
    expect(forSam).toEqual(expect.arrayContaining(['alice', 'bob']));
    expect(forSam).not.toContain('sam');
  });

  it('accepts webhooks signed with the secondary auth token only while it is configured', async () => {
    const params = (n: number) => ({
      CallSid: callSid(0x5ec0 + n), AccountSid: SANDBOX_CREDENTIALS.accountSid, From: SANDBOX_NUMBERS.customer, To: SANDBOX_NUMBERS.support,
      CallStatus: 'ringing', Direction: 'inbound',
    });
    const signedWith = (token: string, body: Record<string, string>) =>
      ({ signature: getExpectedTwilioSignature(token, `${PUBLIC_BASE_URL}${WEBHOOK_ROUTES.incoming}`, body) });
    expect((await postWebhook(proxied, WEBHOOK_ROUTES.incoming, params(1), signedWith(SECONDARY_TOKEN, params(1)))).status).toBe(200);
    expect((await postWebhook(proxied, WEBHOOK_ROUTES.incoming, params(2), signedWith(SANDBOX_CREDENTIALS.authToken, params(2)))).status).toBe(200);
    expect((await postWebhook(proxied, WEBHOOK_ROUTES.incoming, params(3), signedWith('O'.repeat(32), params(3)))).status).toBe(403);
    // `direct` runs without TWILIO_AUTH_TOKEN_SECONDARY, as after the rotation: its signatures are refused.
    expect((await postWebhook(direct, WEBHOOK_ROUTES.incoming, params(4), signedWith(SECONDARY_TOKEN, params(4)))).status).toBe(403);
    expect((await postWebhook(direct, WEBHOOK_ROUTES.incoming, params(5), signedWith(SANDBOX_CREDENTIALS.authToken, params(5)))).status).toBe(200);
  });
});
