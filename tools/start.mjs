#!/usr/bin/env node
// `npm start`: install what is missing, build, then run the voice sandbox and the API (which serves the
// softphone) on the embedded default, wait until both are ready, and print one URL. Ctrl-C stops everything.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from './stack/index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const apiPort = Number(env.PORT ?? 3000);
const sandboxPort = Number(env.SANDBOX_PORT ?? 8443);
const mode = env.SWITCHBOARD_MODE ?? 'sandbox';

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

/** The stack once startStack is called; aborting `starting` makes a start in progress stop what it began. */
let stackStarted;
const starting = new AbortController();

async function stopAll(code) {
  starting.abort();
  // A stuck child must not keep npm start alive: the stack's own stop escalates to SIGKILL after 5 s.
  setTimeout(() => process.exit(code), 7000).unref();
  await stackStarted?.then((stack) => stack.stop(), () => undefined);
  process.exit(code);
}

process.on('SIGINT', () => {
  process.stdout.write('\nStopping Switchboard…\n');
  void stopAll(0);
});
process.on('SIGTERM', () => void stopAll(0));

if (needsInstall()) {
  step('Installing npm packages (first run only)…');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
}

step('Building the softphone, the API and the voice sandbox (cached after the first run)…');
run(join(root, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'build', '-p', 'softphone', 'api', 'voice-sandbox', '--outputStyle=static']);

step(mode === 'sandbox' ? `Starting the voice sandbox on https://127.0.0.1:${sandboxPort}, then the API on http://localhost:${apiPort}…` : `Starting the API on http://localhost:${apiPort}…`);
try {
  // Not isolated: ports, data directory and mode come from the environment, as the README documents.
  stackStarted = startStack({ isolated: false, echoOutput: true, signal: starting.signal });
  await stackStarted;
} catch (error) {
  if (!starting.signal.aborted) {
    console.error(`\n✖ ${error.message}`);
    await stopAll(1);
  }
  await new Promise(() => undefined); // stopAll exits
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
