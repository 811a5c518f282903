import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:https';

const workspaceRoot = resolve(__dirname, '../../../..');

/** The whole product as npm start runs it (sandbox + API serving the softphone), on free ports and a fresh database. */
export interface RunningStack {
  readonly apiUrl: string;
  readonly sandboxUrl: string;
  readonly sandboxHost: string;
  /** POST JSON to the sandbox's admin/REST surface (self-signed TLS on loopback). */
  sandbox<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra environment for the API, e.g. a short token TTL. */
  readonly apiEnv?: Readonly<Record<string, string>>;
  readonly sandboxEnv?: Readonly<Record<string, string>>;
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const [apiPort, sandboxPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sandboxHost = `127.0.0.1:${sandboxPort}`;
  const sandboxUrl = `https://${sandboxHost}`;
  const children: ChildProcess[] = [];

  const sandbox = launch('sandbox', 'dist/apps/voice-sandbox/main.js', {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_API_BASE_URL: apiUrl,
    SANDBOX_DATA_DIR: join(dataDir, 'sandbox'),
    SANDBOX_FAULTS: 'on',
    ...options.sandboxEnv,
  });
  children.push(sandbox);
  const api = launch('api', 'dist/apps/api/main.js', {
    PORT: String(apiPort),
    SWITCHBOARD_MODE: 'sandbox',
    DATA_DIR: join(dataDir, 'api'),
    PUBLIC_BASE_URL: apiUrl,
    TWILIO_API_BASE_URL: sandboxUrl,
    SANDBOX_PUBLIC_HOST: sandboxHost,
    STATIC_DIR: join(workspaceRoot, 'dist/apps/softphone/browser'),
    ...options.apiEnv,
  });
  children.push(api);

  const stop = async (): Promise<void> => {
    await Promise.all(children.map(terminate));
    rmSync(dataDir, { recursive: true, force: true });
  };
  const sandboxCall = sandboxClient(sandboxPort);
  try {
    await waitFor('voice sandbox', sandbox, async () => (await sandboxCall('GET', '/sandbox/calls')).status === 200);
    await waitFor('API', api, async () => (await fetch(`${apiUrl}/health/ready`)).ok);
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl, sandboxUrl, sandboxHost, sandbox: sandboxCall, stop };
}

function launch(name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [join(workspaceRoot, script)], {
    cwd: workspaceRoot,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(String(chunk));
    if (output.length > 400) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // On failure the spec prints what the process said; on success it stays quiet.
  (child as ChildProcess & { recentOutput: () => string }).recentOutput = () => `[${name}]\n${output.join('')}`;
  return child;
}

export function recentOutput(child: ChildProcess): string {
  return (child as ChildProcess & { recentOutput?: () => string }).recentOutput?.() ?? '';
}

async function waitFor(name: string, child: ChildProcess, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${recentOutput(child)}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} was not ready within 60 s:\n${recentOutput(child)}`);
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveExit();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** JSON requests to the sandbox's admin and REST surface on `port`. */
export function sandboxClient(port: number): RunningStack['sandbox'] {
  return (method, path, body) => httpsJson(port, method, path, body);
}

function httpsJson<T>(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolveResponse, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        rejectUnauthorized: false, // the sandbox's self-signed certificate, on loopback only
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON: keep the text */
          }
          resolveResponse({ status: res.statusCode ?? 0, body: parsed as T });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
