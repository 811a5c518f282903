import { randomBytes } from 'node:crypto';
import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { Pool } from 'pg';
import { signIn, startApi, type TestApi } from './support';
import { dropSchema, newSchema, requirePostgresAndRedis, SHARED_SERVICES, startInstance, type Instance } from './support/two-instances';

/**
 * The voice-token limit (VOICE_TOKEN_RATE_LIMIT per VOICE_TOKEN_RATE_WINDOW_SECONDS) is per agent, not
 * per API instance: two instances on one Postgres let an agent have the limit, not twice it, whether
 * its requests alternate between them or arrive at both at once — counted by the database alone, or by
 * Redis when the instances share one (REDIS_URL). On the embedded engine (one instance) it is counted in
 * memory. Needs the machine's Postgres (5432) and Redis (6379): without them the spec fails and says how
 * to run it (never skips).
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

const LIMIT_ENV = { VOICE_TOKEN_RATE_LIMIT: String(LIMIT), VOICE_TOKEN_RATE_WINDOW_SECONDS: '60' };

const token = (api: TestApi, cookie: string) => fetch(`${api.url}${API_ROUTES.voice.token}`, { method: 'POST', headers: { cookie } });

/** Takes the database function has recorded: none when the limit is counted elsewhere. */
async function databaseTakes(database: Database): Promise<number> {
  const [row] = rowsOf(await database.db.execute(sql`SELECT count(*)::int AS n FROM rate_limit_takes`)) as Array<{ n: number }>;
  return Number(row.n);
}

describe.each([
  // No REDIS_URL: the limit needs only the shared database.
  { counter: 'the database', redis: false },
  // REDIS_URL (a prefix of its own per run): one Lua script per take in the Redis the instances share.
  { counter: 'Redis', redis: true },
])('the voice-token rate limit across two API instances on one Postgres, counted by $counter', ({ redis }) => {
  const schema = newSchema();
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    if (redis) await requirePostgresAndRedis(SPEC);
    else await requirePostgres();
    const env = redis
      ? { ...LIMIT_ENV, REDIS_URL: SHARED_SERVICES.redis, REDIS_KEY_PREFIX: `switchboard-test-${randomBytes(4).toString('hex')}:` }
      : LIMIT_ENV;
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
    // With Redis the database is not asked at all (the point of it); without, it holds every take let through.
    expect(await databaseTakes(a.database)).toBe(redis ? 0 : 2 * LIMIT + 1);
  });
});

describe('the voice-token rate limit on Postgres when Redis does not answer', () => {
  const schema = newSchema();
  let api: Instance;

  beforeAll(async () => {
    await requirePostgres();
    // Nothing listens on port 1: every take fails, as when the shared Redis is down.
    api = await startInstance(schema, { ...LIMIT_ENV, REDIS_URL: 'redis://:secret@127.0.0.1:1' });
  }, 180_000);
  afterAll(async () => {
    await api?.close();
    if (api) await dropSchema(schema);
  });

  it('fails closed: 503 with Retry-After and a clear message, never a token, and the password stays out of the log', async () => {
    const bob = await signIn(api, 'bob');
    const response = await token(api, bob);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ statusCode: 503, message: 'The token rate limit cannot be checked right now; retry shortly' });
    expect(api.logLines.some((line) => line.includes('Refused a voice token: Redis at redis://127.0.0.1:1 did not answer'))).toBe(true);
    expect(api.logLines.join('\n')).not.toContain('secret');
  });
});

describe('the voice-token rate limit on the embedded engine (one instance, counted in memory)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi('pglite', LIMIT_ENV);
  }, 180_000);
  afterAll(async () => {
    await api?.close();
  });

  it('lets an agent have the limit, then answers 429 with Retry-After, without a statement per token', async () => {
    const bob = await signIn(api, 'bob');
    const statuses: number[] = [];
    let refusal: Response | null = null;
    for (let i = 0; i < LIMIT + 2; i++) {
      const response = await token(api, bob);
      statuses.push(response.status);
      if (response.status === 429) refusal = response;
      else await response.body?.cancel();
    }
    expect(statuses).toEqual([...Array.from({ length: LIMIT }, () => 200), 429, 429]);
    const retryAfter = Number(refusal?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refusal?.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Too many token requests; retry later' });
    expect(await databaseTakes(api.database)).toBe(0);
    // Another agent's limit is its own.
    expect((await token(api, await signIn(api, 'alice'))).status).toBe(200);
  });
});
