import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { WebhookReceiver } from '@switchboard/sandbox-twiml-engine';
import { defaultConfig } from './config';
import { startSandbox, type RunningSandbox } from './sandbox-app';
import { twimlEngineExtensions } from './twiml-wiring';

interface Levels {
  readonly frames: number;
  readonly sources: Record<string, { rms: number }>;
}

function levels(sandbox: RunningSandbox, callSid: string): Promise<{ status: number; body: Levels }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${sandbox.url}/sandbox/calls/${callSid}/audio?windowMs=500`, { method: 'GET', rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls the leg audio hook until `accept` holds (the room ticks on the real clock); fails with the last answer after 10 s. */
async function until(sandbox: RunningSandbox, callSid: string, accept: (levels: Levels) => boolean): Promise<Levels> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { status, body } = await levels(sandbox, callSid);
    if (status === 200 && accept(body)) return body;
    if (Date.now() > deadline) throw new Error(`leg audio of ${callSid} never matched; last: ${status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Participants create with EarlyMedia, through the sandbox app and the real twilio client', () => {
  let receiver: WebhookReceiver;
  let sandbox: RunningSandbox;
  let dataDir: string;
  let client: ReturnType<typeof twilio>;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-early-media-'));
    sandbox = await startSandbox({ ...defaultConfig(receiver.origin), faults: true, port: 0, dataDir }, { log: () => undefined, ...twimlEngineExtensions() });
    client = twilio(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.authToken, { ca: readFileSync(join(dataDir, 'tls', 'sandbox-cert.pem'), 'utf8') });
    client.api.baseUrl = sandbox.url;
  });

  afterAll(async () => {
    await sandbox?.close();
    await receiver?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the conference hears the ringback of a phone number that rings (the simulated network rings at once)', async () => {
    const room = client.conferences('early-media').participants;
    const listener = await room.create({ from: SANDBOX_NUMBERS.support, to: SANDBOX_NUMBERS.answersWithTone, label: 'listener', beep: 'false' });
    await until(sandbox, listener.callSid, (l) => l.frames > 0);
    const ringing = await room.create({ from: SANDBOX_NUMBERS.support, to: SANDBOX_NUMBERS.noAnswer, label: 'ringing', beep: 'false', timeout: 30 });
    expect((await client.conferences(listener.conferenceSid).participants('ringing').fetch()).status).toBe('ringing');
    const heard = await until(sandbox, listener.callSid, (l) => (l.sources['conference']?.rms ?? 0) > 100);
    expect(Object.keys(heard.sources)).toEqual(['conference']);
    expect(ringing.callSid).toMatch(/^CA/);
    await client.conferences(listener.conferenceSid).update({ status: 'completed' });
  });
});
