import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request as httpsRequest } from 'node:https';
import { spawnFromSource } from './from-source';

export interface SandboxProcess {
  readonly child: ChildProcess;
  /** Its HTTPS origin (self-signed certificate), e.g. the API's TWILIO_API_BASE_URL. */
  readonly url: string;
}

/**
 * The real voice sandbox, its own entry point apps/voice-sandbox/src/main.ts started from source, on a free
 * port, sending its signed callbacks to `apiOrigin`; resolves once it has logged where it is ready. `env` adds
 * to its settings (e.g. SANDBOX_FAULTS=on for the fault hooks and the leg audio meter).
 */
export function startSandboxFromSource(apiOrigin: string, dataDir: string, env: Record<string, string> = {}): Promise<SandboxProcess> {
  const child = spawnFromSource('apps/voice-sandbox/src/main.ts', { SANDBOX_PORT: '0', SANDBOX_DATA_DIR: dataDir, SANDBOX_API_BASE_URL: apiOrigin, ...env });
  let output = '';
  return new Promise((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const ready = /Voice sandbox ready at (https:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (ready) { cleanUp(); resolveReady({ child, url: ready[1] }); }
    };
    const onExit = (code: number | null) => { cleanUp(); reject(new Error(`The sandbox exited (${code}) during start-up:\n${output}`)); };
    const cleanUp = () => { child.stdout?.off('data', onData); child.stderr?.off('data', onData); child.off('exit', onExit); };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM, and resolves once it has exited (at once if it already has: a test may stop it to make telephony unavailable). */
export async function stopSandbox(sandbox: SandboxProcess | undefined): Promise<void> {
  if (!sandbox || sandbox.child.exitCode !== null || sandbox.child.signalCode !== null) return;
  sandbox.child.kill('SIGTERM');
  await once(sandbox.child, 'exit');
}

/** `POST /sandbox/inbound`: the sandbox's scripted PSTN caller dials one of its numbers (an admin hook, loopback, JSON). */
export function placeInboundCall(sandboxUrl: string, body: { from: string; to: string; script: readonly object[] }): Promise<{ callSid: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolveCall, reject) => {
    const req = httpsRequest(`${sandboxUrl}/sandbox/inbound`, {
      method: 'POST', rejectUnauthorized: false, // the sandbox's self-signed certificate, on loopback
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => (res.statusCode === 201 ? resolveCall(JSON.parse(text)) : reject(new Error(`inbound call answered ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
