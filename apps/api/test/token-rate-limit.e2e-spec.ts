import { API_ROUTES } from '@switchboard/shared-contracts';
import { Pool } from 'pg';
import { signIn } from './support';
import { dropSchema, newSchema, SHARED_SERVICES, startInstance, type Instance } from './support/two-instances';

/**
 * The voice-token limit (VOICE_TOKEN_RATE_LIMIT per VOICE_TOKEN_RATE_WINDOW_SECONDS) is per agent, not
 * per API instance: two instances on one Postgres let an agent have the limit, not twice it, whether
 * its requests alternate between them or arrive at both at once. Needs the machine's Postgres (5432):
 * without it the spec fails and says how to run it (never skips).
 */
const LIMIT = 6;
const SPEC = 'apps/api/test/token-rate-limit.e2e-spec.ts';

async function requirePostgres(): Promise<void> {
  const pool = new Pool({ connectionString: SHARED_SERVICES.postgres, max: 1, connectionTimeoutMillis: 3000 });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    throw new Error([
      `${SPEC} runs two API instances on one Postgres, and cannot reach Postgres at ${SHARED_SERVICES.postgres} (${(error as Error).message || String(error)}).`,
      'To run it locally, start one, e.g.',
      '  docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16',
      'or point TEST_DATABASE_URL (postgres://…) at a server you have.',
    ].join('\n'));
  } finally {
    await pool.end().catch(() => undefined);
  }
}

describe('the voice-token rate limit across two API instances on one Postgres', () => {
  const schema = newSchema();
  let a: Instance;
  let b: Instance;

  const token = (api: Instance, cookie: string) => fetch(`${api.url}${API_ROUTES.voice.token}`, { method: 'POST', headers: { cookie } });

  beforeAll(async () => {
    await requirePostgres();
    // No REDIS_URL: the limit needs only the shared database.
    const env = { VOICE_TOKEN_RATE_LIMIT: String(LIMIT), VOICE_TOKEN_RATE_WINDOW_SECONDS: '60' };
    a = await startInstance(schema, env);
    b = await startInstance(schema, env);
  }, 180_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (a) await dropSchema(schema);
  });

  it('lets an agent alternating between the instances have the limit once, then answers 429 with Retry-After on both', async () => {
    // Signed in on A, used on both: sessions live in the shared database.
    const bob = await signIn(a, 'bob');
    const answers: Array<{ via: string; status: number }> = [];
    const refusals: Response[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const via = i % 2 === 0 ? a : b;
      const response = await token(via, bob);
      answers.push({ via: via === a ? 'A' : 'B', status: response.status });
      if (response.status === 429) refusals.push(response);
      else expect((await response.json()) as { identity: string }).toMatchObject({ identity: 'bob' });
    }
    expect(answers).toEqual([...Array.from({ length: LIMIT }, (_, i) => ({ via: i % 2 === 0 ? 'A' : 'B', status: 200 })),
      { via: 'A', status: 429 }, { via: 'B', status: 429 }]);
    for (const refusal of refusals) {
      const retryAfter = Number(refusal.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await refusal.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Too many token requests; retry later' });
    }
    // Another agent's limit is its own.
    expect((await token(b, await signIn(b, 'alice'))).status).toBe(200);
  });

  it('lets exactly the limit through of a burst sent to both instances at once', async () => {
    const sam = await signIn(b, 'sam');
    const statuses = await Promise.all(Array.from({ length: 4 * LIMIT }, (_, i) => token(i % 2 === 0 ? a : b, sam).then((response) => response.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 429)).toBe(true);
  });
});
