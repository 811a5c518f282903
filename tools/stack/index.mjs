// The one way to run the product's processes: the voice sandbox and the API serving the built softphone.
// `npm start` (tools/start.mjs), the end-to-end suite (apps/softphone-e2e) and the browser bench (bench/e2e)
// all start it here, so the three cannot drift apart. Plain ESM so that .mjs scripts import it as is;
// index.d.mts types it for the TypeScript suite.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const SANDBOX_SCRIPT = 'dist/apps/voice-sandbox/main.js';
const API_SCRIPT = 'dist/apps/api/main.js';
const SOFTPHONE_DIR = 'dist/apps/softphone/browser';
// Only a guard against a process that hangs without exiting (an exit is noticed at once): generous, as on a
// busy two-core machine the API's first start (WebAssembly Postgres, migrations) has taken over a minute.
const READY_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 200;
/** The apps' own defaults (libs/shared/sandbox-defaults), for a stack that takes its settings from the environment. */
const DEFAULT_API_PORT = 3000;
const DEFAULT_SANDBOX_PORT = 8443;

/**
 * Starts the sandbox (unless the environment runs against real Twilio) and then the API; resolves once both
 * answer their readiness probes. On failure or abort it stops what it started and rejects with what the
 * processes said last.
 */
export async function startStack(options = {}) {
  const { isolated = true, apiEnv = {}, sandboxEnv = {}, echoOutput = false, inspect = false, signal } = options;
  const root = options.root ?? WORKSPACE_ROOT;
  for (const path of [SANDBOX_SCRIPT, API_SCRIPT, join(SOFTPHONE_DIR, 'index.html')]) {
    if (!existsSync(join(root, path))) {
      throw new Error(`${path} is missing: build first (npx nx run-many -t build -p api softphone voice-sandbox)`);
    }
  }
  const wiring = isolated ? await isolatedWiring(root) : configuredWiring();
  const launchOptions = { root, echoOutput, inspect };
  const children = {};
  let stopped;
  const stop = () => {
    stopped ??= Promise.all(Object.values(children).map(terminate)).then(() => {
      if (wiring.temporaryDir) rmSync(wiring.temporaryDir, { recursive: true, force: true });
    });
    return stopped;
  };
  const sandbox = (method, path, body) => sandboxJson(wiring.sandboxPort, method, path, body);
  const launchSandbox = async () => {
    children.sandbox = launch('sandbox', SANDBOX_SCRIPT, { ...wiring.sandboxEnv, ...sandboxEnv }, launchOptions);
    await waitUntilReady('The voice sandbox', children.sandbox, signal, async () => (await sandbox('GET', '/sandbox/calls')).status === 200);
    return children.sandbox;
  };
  // For crash-recovery runs: after the caller killed the sandbox, the same one again (port, data dir, settings).
  const restartSandbox = async () => {
    const previous = children.sandbox;
    if (!previous) throw new Error('This stack runs without a sandbox');
    if (previous.exitCode === null && previous.signalCode === null) throw new Error('The sandbox is still running: kill it first');
    if (stopped) throw new Error('The stack was stopped');
    return launchSandbox();
  };
  try {
    if (wiring.withSandbox) await launchSandbox();
    children.api = launch('api', API_SCRIPT, { ...wiring.apiEnv, ...apiEnv }, launchOptions);
    await waitUntilReady('The API', children.api, signal, async () => (await fetch(`${wiring.apiUrl}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok);
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl: wiring.apiUrl, sandboxUrl: `https://${wiring.sandboxHost}`, sandboxHost: wiring.sandboxHost, sandbox, children, restartSandbox, stop };
}

/** Free loopback ports, a fresh data directory (removed on stop), and every address spelled out for both apps. */
async function isolatedWiring(root) {
  const [apiPort, sandboxPort] = [await freePort(), await freePort()];
  const temporaryDir = mkdtempSync(join(tmpdir(), 'switchboard-stack-'));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sandboxHost = `127.0.0.1:${sandboxPort}`;
  return {
    withSandbox: true,
    temporaryDir,
    apiUrl,
    sandboxHost,
    sandboxPort,
    // NODE_OPTIONS of the caller (a test runner's flags, say) are not the product's.
    sandboxEnv: { NODE_OPTIONS: '', SANDBOX_PORT: String(sandboxPort), SANDBOX_API_BASE_URL: apiUrl, SANDBOX_DATA_DIR: join(temporaryDir, 'sandbox') },
    apiEnv: {
      NODE_OPTIONS: '',
      PORT: String(apiPort),
      SWITCHBOARD_MODE: 'sandbox',
      DATA_DIR: join(temporaryDir, 'api'),
      PUBLIC_BASE_URL: apiUrl,
      TWILIO_API_BASE_URL: `https://${sandboxHost}`,
      SANDBOX_PUBLIC_HOST: sandboxHost,
      STATIC_DIR: join(root, SOFTPHONE_DIR),
    },
  };
}

/** As the README documents `npm start`: the apps read PORT, SANDBOX_PORT, SWITCHBOARD_MODE, DATA_DIR… themselves. */
function configuredWiring() {
  const apiPort = Number(process.env.PORT ?? DEFAULT_API_PORT);
  const sandboxPort = Number(process.env.SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT);
  return {
    withSandbox: (process.env.SWITCHBOARD_MODE ?? 'sandbox') === 'sandbox',
    apiUrl: `http://127.0.0.1:${apiPort}`,
    sandboxHost: `127.0.0.1:${sandboxPort}`,
    sandboxPort,
    sandboxEnv: {},
    apiEnv: {},
  };
}

function launch(name, script, env, { root, echoOutput, inspect }) {
  // The inspector (loopback, a port Node picks) lets the bench force a GC before reading a heap.
  const nodeArgs = inspect ? ['--inspect=127.0.0.1:0'] : [];
  const child = spawn(process.execPath, [...nodeArgs, join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Quiet by default: the tail of what the process said is kept for the error when something goes wrong.
  const tail = [];
  const keep = (chunk) => {
    tail.push(String(chunk));
    if (tail.length > 400) tail.shift();
  };
  const echo = (out) => (chunk) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) out.write(`[${name}] ${line}\n`);
  };
  child.stdout.on('data', echoOutput ? echo(process.stdout) : keep);
  child.stderr.on('data', (chunk) => {
    child.inspectorUrl ??= /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(String(chunk))?.[1];
    (echoOutput ? echo(process.stderr) : keep)(chunk);
  });
  child.recentOutput = () => (echoOutput ? `(its output is above, prefixed [${name}])` : `[${name} output]\n${tail.join('')}`);
  return child;
}

/** What a started process said last (or where to find it, when its output was echoed). */
export function recentOutput(child) {
  return child?.recentOutput?.() ?? '';
}

async function waitUntilReady(name, child, signal, ready) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} during start-up.\n${recentOutput(child)}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolveLater) => setTimeout(resolveLater, READY_POLL_MS));
  }
  throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s.\n${recentOutput(child)}`);
}

function terminate(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveExit();
    });
    child.kill('SIGTERM');
  });
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** JSON over HTTPS to the sandbox's admin and REST surface on loopback. */
function sandboxJson(port, method, path, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolveResponse, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        timeout: 10_000,
        rejectUnauthorized: false, // the sandbox's self-signed certificate, on loopback only
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let parsed = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON: keep the text */
          }
          resolveResponse({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`sandbox ${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
