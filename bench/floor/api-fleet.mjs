// The floor bench's servers: a throwaway Postgres database, two API processes on it sharing one Redis
// channel (as two instances behind a balancer), and the bench's agents and supervisors with signed-in sessions.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');
const { Redis } = require('ioredis');

export const SERVICES = {
  postgres: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};
/** Every instance is reached at 127.0.0.1, but believes it is served here (the cookie is `__Host-sb_session`). */
export const PUBLIC_BASE_URL = 'https://switchboard.bench';

/** Null when both answer; otherwise what is missing and how to start it. */
export async function missingServices() {
  const missing = [];
  const pool = new Pool({ connectionString: SERVICES.postgres, max: 1, connectionTimeoutMillis: 3000 });
  try { await pool.query('SELECT 1'); } catch (error) { missing.push(`Postgres at ${SERVICES.postgres} (${error.message})`); } finally { await pool.end().catch(() => undefined); }
  const redis = new Redis(SERVICES.redis, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try { await redis.connect(); await redis.ping(); } catch (error) { missing.push(`Redis at ${SERVICES.redis} (${error.message})`); } finally { redis.disconnect(); }
  if (missing.length === 0) return null;
  return [`The floor bench runs two API instances on one Postgres and one Redis, and cannot reach: ${missing.join('; ')}.`,
    'Start both (e.g. `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16` and',
    '`docker run -d -p 6379:6379 redis:7`) or point BENCH_DATABASE_URL and BENCH_REDIS_URL at servers you have.'].join('\n');
}

export const freePort = () => new Promise((resolvePort) => {
  const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolvePort(port)); });
});

/** A database of its own on the Postgres server; drop() removes it. */
export async function createDatabase() {
  const name = `floor_bench_${process.pid}`;
  const server = new Pool({ connectionString: SERVICES.postgres, max: 1 });
  await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await server.query(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVICES.postgres);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  return {
    url: url.toString(), pool,
    async drop() {
      await pool.end();
      try { await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } finally { await server.end(); }
    },
  };
}

/**
 * One API process: dist/apps/api/main.js when built (as `npm run bench` does first), else the entry point
 * from source through ts-node (its RSS then includes the TypeScript compiler, so it reads higher).
 */
export async function startApi(root, databaseUrl, env) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-floor-bench-'));
  const built = join(root, 'dist/apps/api/main.js');
  const fromSource = !existsSync(built);
  const args = fromSource ? ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'] : [built];
  const sourceEnv = fromSource ? {
    TS_NODE_PROJECT: join(root, 'tsconfig.base.json'), TS_NODE_TRANSPILE_ONLY: 'true',
    TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node10' }),
  } : {};
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, ...sourceEnv,
      SWITCHBOARD_MODE: 'sandbox', PORT: String(port), PUBLIC_BASE_URL, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, STATIC_DIR: 'none',
      LOG_LEVEL: 'warn', RECONCILE_INTERVAL_SECONDS: '0', RETENTION_SWEEP_INTERVAL_SECONDS: '0', ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited during start-up:\n${stderr}`);
    try { if ((await fetch(`${url}/health/ready`)).ok) break; } catch { /* not yet */ }
    if (Date.now() - started > 120_000) throw new Error(`the API at ${url} was not ready after 120 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url, pid: child.pid, fromSource, stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `agents` agents and `supervisors` supervisors, each with a session, written straight to the database: 520
 * sign-ins would be 520 scrypt verifications (about 0.2 s each on two cores, by design), which is not what
 * this bench measures. The rows are the ones a sign-in writes (sessions keep the SHA-256 of the cookie's
 * token), so every request is authenticated exactly as a signed-in browser's. The password is the demo
 * agents' (their hash is copied), so any of them can also sign in. Returns [{ identity, role, cookie }].
 */
export async function seedSignedInAgents(pool, cookieName, { agents, supervisors }) {
  const people = [
    ...Array.from({ length: agents }, (_, i) => ({ identity: `bench_agent_${i}`, role: 'agent' })),
    ...Array.from({ length: supervisors }, (_, i) => ({ identity: `bench_supervisor_${i}`, role: 'supervisor' })),
  ];
  await pool.query(`
    INSERT INTO agents (identity, display_name, role, password_hash, enabled)
    SELECT p.identity, initcap(replace(p.identity, '_', ' ')), p.role, (SELECT password_hash FROM agents WHERE identity = 'alice'), true
    FROM unnest($1::text[], $2::text[]) AS p(identity, role)`, [people.map((p) => p.identity), people.map((p) => p.role)]);
  const tokens = people.map(() => randomBytes(32).toString('base64url'));
  await pool.query(`
    INSERT INTO sessions (token_hash, agent_id, expires_at)
    SELECT s.token_hash, a.id, now() + interval '1 hour' FROM unnest($1::text[], $2::text[]) AS s(token_hash, identity) JOIN agents a USING (identity)`,
  [tokens.map((t) => createHash('sha256').update(t).digest('hex')), people.map((p) => p.identity)]);
  return people.map((p, i) => ({ ...p, cookie: `${cookieName}=${tokens[i]}` }));
}

/** Signs a demo agent in through the API (one real sign-in): the session cookie's name and value. */
export async function signIn(url, identity) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity, password: process.env.DEMO_PASSWORD ?? 'switchboard-demo' }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${identity} answered ${response.status}`);
  return response.headers.getSetCookie()[0].split(';')[0];
}
