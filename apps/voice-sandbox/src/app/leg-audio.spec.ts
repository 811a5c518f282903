import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { WebhookReceiver } from '@switchboard/sandbox-twiml-engine';
import { defaultConfig } from './config';
import { HttpError } from './http-util';
import { createLegAudioRoute } from './leg-audio';
import { startSandbox, type RunningSandbox } from './sandbox-app';
import { twimlEngineExtensions } from './twiml-wiring';

interface Levels {
  readonly rms: number;
  readonly frames: number;
  readonly sources: Record<string, { rms: number }>;
}

function get(sandbox: RunningSandbox, path: string): Promise<{ status: number; body: Levels & { message?: string } }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${sandbox.url}${path}`, { method: 'GET', rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls the hook until `accept` holds (the room ticks on the real clock); fails with the last answer after 10 s. */
async function levelsOf(sandbox: RunningSandbox, callSid: string, accept: (levels: Levels) => boolean): Promise<Levels> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { status, body } = await get(sandbox, `/sandbox/calls/${callSid}/audio?windowMs=500`);
    if (status === 200 && accept(body)) return body;
    if (Date.now() > deadline) throw new Error(`leg audio of ${callSid} never matched; last: ${status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /sandbox/calls/<CallSid>/audio (the leg audio test hook) through the sandbox app', () => {
  let receiver: WebhookReceiver;
  let sandbox: RunningSandbox;
  let dataDir: string;
  let client: ReturnType<typeof twilio>;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-leg-audio-'));
    sandbox = await startSandbox({ ...defaultConfig(receiver.origin), faults: true, port: 0, dataDir }, { log: () => undefined, ...twimlEngineExtensions() });
    client = twilio(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.authToken, { ca: readFileSync(join(dataDir, 'tls', 'sandbox-cert.pem'), 'utf8') });
    client.api.baseUrl = sandbox.url;
  });

  afterAll(async () => {
    await sandbox?.close();
    await receiver?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says who each participant hears: the other one, then (held) only the hold music while the other hears nothing of it', async () => {
    const add = (to: string, label: string) => client.conferences('metered').participants.create({ from: SANDBOX_NUMBERS.support, to, label, beep: 'false' });
    const tone = await add(SANDBOX_NUMBERS.answersWithTone, 'tone');
    const echo = await add(SANDBOX_NUMBERS.answersAndEchoes, 'echo');

    const echoHears = await levelsOf(sandbox, echo.callSid, (l) => (l.sources[tone.callSid]?.rms ?? 0) > 100);
    expect(Object.keys(echoHears.sources)).toEqual([tone.callSid]);
    expect(echoHears.frames).toBeGreaterThan(0);

    await client.conferences(echo.conferenceSid).participants('echo').update({ hold: true });
    const held = await levelsOf(sandbox, echo.callSid, (l) => l.sources[tone.callSid] === undefined);
    expect(Object.keys(held.sources)).toEqual(['hold']);
    expect(held.sources['hold'].rms).toBeGreaterThan(100);
    const toneHears = await levelsOf(sandbox, tone.callSid, (l) => l.sources[echo.callSid] === undefined);
    expect(toneHears).toMatchObject({ rms: 0, sources: {} });

    await client.conferences(echo.conferenceSid).update({ status: 'completed' });
  });

  it('answers 404 for a call in no conference and 400 for a bad window', async () => {
    expect(await get(sandbox, `/sandbox/calls/CA${'0'.repeat(32)}/audio`)).toMatchObject({ status: 404 });
    expect(await get(sandbox, `/sandbox/calls/CA${'0'.repeat(32)}/audio?windowMs=10`)).toMatchObject({ status: 400 });
    expect(await get(sandbox, `/sandbox/calls/CA${'0'.repeat(32)}/audio?windowMs=abc`)).toMatchObject({ status: 400 });
  });
});

describe('createLegAudioRoute gating', () => {
  const levels = { conferenceSid: 'CF1', friendlyName: 'x', windowMs: 1000, frames: 50, rms: 0, dbfs: null, sources: {} };
  const callSid = `CA${'a'.repeat(32)}`;
  const req = (remoteAddress: string, method = 'GET') => ({ method, socket: { remoteAddress } }) as unknown as IncomingMessage;
  const res = () => ({ writeHead: jest.fn(), end: jest.fn() }) as unknown as ServerResponse;
  const url = new URL(`https://sandbox/sandbox/calls/${callSid}/audio`);

  it('is off unless the fault hooks are on, and for loopback callers only', () => {
    const off = createLegAudioRoute({ legAudio: () => levels }, false);
    expect(() => off(req('127.0.0.1'), res(), url)).toThrow(expect.objectContaining({ status: 404 }) as HttpError);
    const on = createLegAudioRoute({ legAudio: () => levels }, true);
    expect(() => on(req('10.0.0.7'), res(), url)).toThrow(expect.objectContaining({ status: 403 }) as HttpError);
    expect(on(req('::ffff:127.0.0.1'), res(), url)).toBe(true);
  });

  it('leaves other routes and methods to the next handler', () => {
    const on = createLegAudioRoute({ legAudio: () => levels }, true);
    expect(on(req('127.0.0.1', 'POST'), res(), url)).toBe(false);
    expect(on(req('127.0.0.1'), res(), new URL('https://sandbox/sandbox/calls'))).toBe(false);
  });
});
