import { sql } from 'drizzle-orm';
import { Database, rowsOf } from './database';
import { RateLimitRepository, type RateLimit } from './repositories';
import { SPEC_ENGINES, specDatabase } from './testing/spec-database';

describe.each(SPEC_ENGINES)('RateLimitRepository (%s)', (engine) => {
  /** Two handles on one database: two API instances on Postgres (two pools); one process on the embedded engine. */
  let databases: Database[];
  let limits: RateLimitRepository[];
  let n = 0;
  const key = () => `spec:${++n}`;
  const perMinute = (max: number): RateLimit => ({ max, windowSeconds: 60 });
  const run = (query: ReturnType<typeof sql>) => databases[0].db.execute(query).then((result) => rowsOf(result) as Array<Record<string, unknown>>);
  /** Moves a key's recorded takes into the past, as if the time had passed (no sleeping). */
  const age = (k: string, seconds: number, seq?: number) => run(sql`
    UPDATE rate_limit_takes SET taken_at = taken_at - ${seconds}::float8 * interval '1 second'
    WHERE key = ${k} AND (${seq ?? null}::bigint IS NULL OR seq = ${seq ?? null}::bigint)`);
  const takesOf = (k: string, limit: RateLimit, count: number) => Promise.all(Array.from({ length: count }, () => limits[0].take(k, limit)));

  specDatabase(engine, async (opened, spec) => {
    databases = engine === 'postgres' ? [opened, await spec.openAnother()] : [opened];
    limits = databases.map((database) => new RateLimitRepository(database));
  });

  it('lets max takes through, then refuses with the seconds until the oldest leaves the window; other keys are their own', async () => {
    const k = key();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(await limits[0].take(k, perMinute(3)));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    for (const wait of waits.slice(3)) {
      expect(wait).toBeGreaterThanOrEqual(59);
      expect(wait).toBeLessThanOrEqual(60);
    }
    expect(await limits[0].take(key(), perMinute(3))).toBe(0);
  });

  it('counts the wait from the oldest take in the window, rounded up, and at least 1 s', async () => {
    const k = key();
    await takesOf(k, perMinute(2), 2);
    await age(k, 20.5, 1);
    expect(await limits[0].take(k, perMinute(2))).toBe(40);
    await age(k, 39, 1);
    expect(await limits[0].take(k, perMinute(2))).toBe(1);
  });

  it('lets a take through again once the oldest has left the window; refused takes never counted', async () => {
    const k = key();
    await takesOf(k, perMinute(2), 2);
    for (let i = 0; i < 5; i++) expect(await limits[0].take(k, perMinute(2))).toBeGreaterThan(0);
    await age(k, 61, 1);
    // Only take 1 left: one slot, not one per refused take.
    expect(await limits[0].take(k, perMinute(2))).toBe(0);
    expect(await limits[0].take(k, perMinute(2))).toBeGreaterThan(0);
    await age(k, 61);
    expect(await takesOf(k, perMinute(2), 2)).toEqual([0, 0]);
  });

  it('keeps at most max rows per key, whatever the number of takes', async () => {
    const k = key();
    for (let round = 0; round < 4; round++) {
      await takesOf(k, perMinute(3), 3);
      await age(k, 61);
    }
    expect(await run(sql`SELECT count(*)::int AS rows, max(seq)::int AS taken FROM rate_limit_takes WHERE key = ${k}`)).toEqual([{ rows: 3, taken: 12 }]);
  });

  it('applies each caller\'s own max exactly when two differ (instances mid-way through a rolling restart)', async () => {
    const k = key();
    await takesOf(k, perMinute(5), 3);
    expect(await limits[0].take(k, perMinute(3))).toBeGreaterThan(0);
    expect(await takesOf(k, perMinute(5), 2)).toEqual([0, 0]);
    expect(await limits[0].take(k, perMinute(5))).toBeGreaterThan(0);
    expect(await limits[0].take(k, perMinute(6))).toBe(0);
    expect(await limits[0].take(k, perMinute(6))).toBeGreaterThan(0);
  });

  it(`lets exactly max of many parallel takes through${engine === 'postgres' ? ', from two instances\' pools' : ''}`, async () => {
    for (let round = 0; round < 5; round++) {
      const k = key();
      const waits = await Promise.all(Array.from({ length: 24 }, (_, i) => limits[i % limits.length].take(k, perMinute(5))));
      expect({ round, allowed: waits.filter((wait) => wait === 0).length }).toEqual({ round, allowed: 5 });
      expect(await run(sql`SELECT count(*)::int AS rows FROM rate_limit_takes WHERE key = ${k}`)).toEqual([{ rows: 5 }]);
    }
  });
});
