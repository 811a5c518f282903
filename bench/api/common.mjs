// Helpers shared by the API benches (memory.mjs; run.mjs keeps its own copies for now): ports, waiting,
// the sandbox's committed fake credentials, a throwaway Postgres database, sign-in, a checked voice token, RSS.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// BENCH_API_MAIN: another build of the API (e.g. a copy of an earlier one, for before/after in one session), as in run.mjs.
export const mainJs = process.env.BENCH_API_MAIN ? resolve(process.env.BENCH_API_MAIN) : join(root, 'dist/apps/api/main.js');
// BENCH_API_NODE_ARGS: node flags for the API process (space-separated), e.g. "--max-semi-space-size=2", to weigh a V8 flag.
export const apiNodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);

// The sandbox credentials are committed fakes (libs/shared/sandbox-defaults); read them from the source.
export const SANDBOX = {
  accountSid: 'ACefc1f744e4b84f26a34fcf28eeb49aac',
  authToken: '8c514220389604b8a422ec618db0f784',
  apiKeySid: 'SK00cdd724914de01ca51374d7646ba801',
  apiKeySecret: 'f153cb678b805108534ff485744050c0',
  twimlAppSid: 'AP608ed874e3dd2f3266eabf5051d47045',
};
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'switchboard-demo';

export const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
});

/** Polls `url` until it answers 2xx; `child` (optional) ending first is an error, not a wait to the timeout. */
export async function waitFor(url, { timeoutMs = 120_000, intervalMs = 20, child } = {}) {
  const start = Date.now();
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before ${url} answered`);
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    if (Date.now() - start > timeoutMs) throw new Error(`${url} did not come up in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resident set size of a process in MiB from /proc (Linux), or null elsewhere. */
export function rssMiB(pid) {
  try {
    const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    return kib / 1024;
  } catch {
    return null;
  }
}

/** Signs `identity` in and returns its session cookie. */
export async function signIn(baseUrl, identity = 'alice', password = DEMO_PASSWORD) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity, password }),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}`);
  return response.headers.getSetCookie()[0].split(';')[0];
}

// twilio signs its AccessToken with jsonwebtoken; verify with the same library, from twilio's own dependencies.
const jsonwebtoken = createRequire(require.resolve('twilio'))('jsonwebtoken');

/**
 * Checks a voice token as Twilio would: signed with the API key secret (HS256), issued by the API key for the
 * account, for `identity`, with a voice grant on the TwiML app. Throws when it is not; returns the payload.
 */
export function verifyVoiceToken(token, identity) {
  const payload = jsonwebtoken.verify(token, SANDBOX.apiKeySecret, { algorithms: ['HS256'], issuer: SANDBOX.apiKeySid, subject: SANDBOX.accountSid });
  if (payload.grants?.identity !== identity) throw new Error(`token identity is ${payload.grants?.identity}, not ${identity}`);
  if (payload.grants?.voice?.outgoing?.application_sid !== SANDBOX.twimlAppSid) throw new Error('token has no voice grant for the TwiML app');
  return payload;
}

/** A database of its own on the Postgres server at `serverUrl`; `drop()` removes it. */
export async function createThrowawayDatabase(serverUrl, label = 'bench') {
  const { Client } = require('pg');
  const name = `switchboard_${label}_${process.pid}`;
  const admin = async (statement) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try { await client.query(statement); } finally { await client.end(); }
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
