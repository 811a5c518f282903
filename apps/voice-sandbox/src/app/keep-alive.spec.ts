import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from './config';
import { startSandbox, type RunningSandbox } from './sandbox-app';

/** Node's default server keep-alive timeout, which the sandbox must outlast. */
const NODE_DEFAULT_KEEP_ALIVE_MS = 5000;

describe('the sandbox keeps idle keep-alive connections open, as Twilio does', () => {
  let sandbox: RunningSandbox;
  let dataDir: string;
  const agent = new Agent({ keepAlive: true, rejectUnauthorized: false });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-keep-alive-'));
    sandbox = await startSandbox({ ...defaultConfig('http://127.0.0.1:1'), port: 0, dataDir }, { log: () => undefined });
  });

  afterAll(async () => {
    agent.destroy();
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const health = (): Promise<{ status: number; reusedSocket: boolean }> =>
    new Promise((resolve, reject) => {
      const req = request(`${sandbox.url}/sandbox/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });

  it('reuses a connection left idle longer than Node\'s default 5 s', async () => {
    expect(await health()).toEqual({ status: 200, reusedSocket: false });
    // The idle time is the point of the test: nothing happens during it that could be awaited instead.
    await new Promise((resolve) => setTimeout(resolve, NODE_DEFAULT_KEEP_ALIVE_MS + 1000));
    expect(await health()).toEqual({ status: 200, reusedSocket: true });
  }, 20_000);
});
