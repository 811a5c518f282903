// The product as `npm start` runs it (voice sandbox + API serving the built softphone) on free loopback ports
// with a fresh data directory: the same processes and environment as apps/softphone-e2e/src/support/stack.ts,
// written again in plain ESM because a .mjs bench cannot import that TypeScript file.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_TIMEOUT_MS = 60_000;
const WebSocket = createRequire(import.meta.url)('ws');

/**
 * Starts sandbox and API; resolves once both answer their readiness probes, rejects (after stopping what
 * started) with the processes' recent output otherwise.
 */
export async function startStack(root, { apiEnv = {}, sandboxEnv = {} } = {}) {
  for (const script of ['dist/apps/voice-sandbox/main.js', 'dist/apps/api/main.js', 'dist/apps/softphone/browser/index.html']) {
    if (!existsSync(join(root, script))) {
      throw new Error(`${script} is missing: build first (npm run bench does, or npx nx run-many -t build -p api softphone voice-sandbox)`);
    }
  }
  const [apiPort, sandboxPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sandboxHost = `127.0.0.1:${sandboxPort}`;
  const sandboxUrl = `https://${sandboxHost}`;

  const sandbox = launch(root, 'sandbox', 'dist/apps/voice-sandbox/main.js', {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_API_BASE_URL: apiUrl,
    SANDBOX_DATA_DIR: join(dataDir, 'sandbox'),
    ...sandboxEnv,
  });
  const api = launch(root, 'api', 'dist/apps/api/main.js', {
    PORT: String(apiPort),
    SWITCHBOARD_MODE: 'sandbox',
    DATA_DIR: join(dataDir, 'api'),
    PUBLIC_BASE_URL: apiUrl,
    TWILIO_API_BASE_URL: sandboxUrl,
    SANDBOX_PUBLIC_HOST: sandboxHost,
    STATIC_DIR: join(root, 'dist/apps/softphone/browser'),
    ...apiEnv,
  });
  const children = { sandbox, api };
  let stopped;
  const stop = () => {
    stopped ??= Promise.all(Object.values(children).map(terminate)).then(() => rmSync(dataDir, { recursive: true, force: true }));
    return stopped;
  };
  const sandboxCall = (method, path, body) => httpsJson(sandboxPort, method, path, body);
  try {
    await waitReady('voice sandbox', sandbox, async () => (await sandboxCall('GET', '/sandbox/calls')).status === 200);
    await waitReady('API', api, async () => (await fetch(`${apiUrl}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok);
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl, sandboxUrl, sandboxHost, pids: { api: api.pid, sandbox: sandbox.pid }, children, sandbox: sandboxCall, stop };
}

/**
 * The process's V8 heap in MiB right after a full garbage collection, through its inspector (loopback, port
 * chosen by Node). RSS alone can't tell garbage not yet collected from memory still held. Null if unavailable.
 */
export async function heapAfterGc(child, timeoutMs = 15_000) {
  const url = child.inspectorUrl;
  if (!url) return null;
  const socket = new WebSocket(url);
  let nextId = 0;
  const pending = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    pending.get(message.id)?.(message);
  });
  const send = (method) =>
    new Promise((resolveReply, reject) => {
      const id = ++nextId;
      pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolveReply(message.result)));
      socket.send(JSON.stringify({ id, method }));
    });
  let timer;
  try {
    return await Promise.race([
      (async () => {
        await new Promise((resolveOpen, reject) => {
          socket.once('open', resolveOpen);
          socket.once('error', reject);
        });
        await send('HeapProfiler.collectGarbage');
        const { usedSize } = await send('Runtime.getHeapUsage');
        return usedSize / 2 ** 20;
      })(),
      new Promise((resolveLate) => (timer = setTimeout(() => resolveLate(null), timeoutMs))),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    socket.terminate();
  }
}

/** Resident and peak resident memory of a process in MiB, from /proc (Linux), or null when unreadable. */
export function processMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export function recentOutput(child) {
  return child.recentOutput?.() ?? '';
}

function launch(root, name, script, env) {
  // The inspector (loopback, a port Node picks) lets the bench force a GC before reading the heap.
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', join(root, script)], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep the tail of what the process said: printed only when something goes wrong.
  const output = [];
  const keep = (chunk) => {
    output.push(String(chunk));
    if (output.length > 200) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', (chunk) => {
    child.inspectorUrl ??= /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(String(chunk))?.[1];
    keep(chunk);
  });
  child.recentOutput = () => `[${name} output]\n${output.join('')}`;
  return child;
}

async function waitReady(name, child, ready) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) during start-up\n${recentOutput(child)}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s\n${recentOutput(child)}`);
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

function httpsJson(port, method, path, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolveResponse, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        timeout: 5000,
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
