#!/usr/bin/env node
// `npm start`: install what is missing, build, then run the voice sandbox and the API (which serves the
// softphone) on the embedded default, wait until both are ready, and print one URL. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const apiPort = Number(env.PORT ?? 3000);
const sandboxPort = Number(env.SANDBOX_PORT ?? 8443);
const mode = env.SWITCHBOARD_MODE ?? 'sandbox';
const children = [];

function step(message) {
  process.stdout.write(`\n▸ ${message}\n`);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n✖ ${command} ${args.join(' ')} failed (exit ${result.status}). Fix the error above and run npm start again.`);
    process.exit(result.status ?? 1);
  }
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
}

/** Polls `url` until it answers 2xx; rejects with what to do when `timeoutMs` passes. */
async function waitUntilReady(name, url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see its output above.`);
    if (await answers(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not become ready at ${url} within ${timeoutMs / 1000} s.`);
}

function answers(url) {
  return new Promise((resolve) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(
      url,
      { method: 'GET', rejectUnauthorized: false, timeout: 2000 },
      (response) => {
        response.resume();
        resolve((response.statusCode ?? 500) < 300);
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

function start(name, script, extraEnv) {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) out.write(`[${name}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  children.push(child);
  return child;
}

function stopAll(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() =>
    process.exit(code),
  );
}

process.on('SIGINT', () => {
  process.stdout.write('\nStopping Switchboard…\n');
  stopAll(0);
});
process.on('SIGTERM', () => stopAll(0));

if (needsInstall()) {
  step('Installing npm packages (first run only)…');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
}

step('Building the softphone, the API and the voice sandbox (cached after the first run)…');
run(join(root, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'build', '-p', 'softphone', 'api', 'voice-sandbox', '--outputStyle=static']);

try {
  if (mode === 'sandbox') {
    step(`Starting the voice sandbox on https://127.0.0.1:${sandboxPort}…`);
    const sandbox = start('sandbox', 'dist/apps/voice-sandbox/main.js', {});
    await waitUntilReady('The voice sandbox', `https://127.0.0.1:${sandboxPort}/sandbox/calls`, 60_000, sandbox);
  }
  step(`Starting the API on http://localhost:${apiPort}…`);
  const api = start('api', 'dist/apps/api/main.js', {});
  await waitUntilReady('The API', `http://127.0.0.1:${apiPort}/health/ready`, 60_000, api);
} catch (error) {
  console.error(`\n✖ ${error.message}`);
  stopAll(1);
  await new Promise(() => undefined);
}

const password = env.DEMO_PASSWORD ?? 'switchboard-demo';
const lines = [
  '',
  '  Switchboard is running.',
  '',
  `  Open  http://localhost:${apiPort}`,
];
if (mode === 'sandbox') {
  lines.push(
    '',
    `  Once per browser: open https://127.0.0.1:${sandboxPort} and accept its self-signed certificate`,
    '  (Advanced → Proceed). The phone signals to it; without this it stays offline.',
    '',
    `  Demo agents: alice, bob (agents) and sam (supervisor); password: ${password}`,
    '  A customer calling the support line:  npm run call:support',
  );
}
lines.push('', '  Ctrl-C stops everything.', '');
process.stdout.write(lines.join('\n') + '\n');
