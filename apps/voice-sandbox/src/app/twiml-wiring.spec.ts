import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import type { AudioPort } from '@switchboard/sandbox-data-access-calls';
import { WebhookReceiver, type ReceivedRequest } from '@switchboard/sandbox-twiml-engine';
import { defaultConfig } from './config';
import { startSandbox, type RunningSandbox } from './sandbox-app';
import { twimlEngineExtensions } from './twiml-wiring';

/** An SDK caller's media as the call core sees it, without a browser: silent, never pulled. */
class SilentPort implements AudioPort {
  onFrame(): () => void {
    return () => undefined;
  }
  onDigit(): () => void {
    return () => undefined;
  }
  setSource(): void {
    // nothing pulls frames here
  }
  close(): void {
    // nothing to release
  }
}

function sandboxRequest(sandbox: RunningSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${sandbox.url}${path}`,
      { method, rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('the sandbox wiring of the TwiML engine (real HTTPS, real signed webhooks)', () => {
  let receiver: WebhookReceiver;
  let sandbox: RunningSandbox;
  let dataDir: string;
  const extensions = twimlEngineExtensions();

  const signed = (request: ReceivedRequest): boolean =>
    twilio.validateRequest(SANDBOX_CREDENTIALS.authToken, String(request.headers['x-twilio-signature']), request.url, request.params);

  async function nextRequest(path: string, match: (request: ReceivedRequest) => boolean = () => true): Promise<ReceivedRequest> {
    for (;;) {
      const found = receiver.received.find((r) => r.path === path && match(r));
      if (found) return found;
      await receiver.waitFor(receiver.received.length + 1);
    }
  }

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-wiring-'));
    const base = defaultConfig(receiver.origin);
    // The app's voice URL carries Twilio connection overrides: 5xx retried twice, then its fallback.
    const applications = base.applications.map((a) => ({
      ...a, voiceUrl: `${a.voiceUrl}#rp=5xx&rc=2`, voiceFallbackUrl: `${receiver.origin}/webhooks/voice/app-fallback`,
    }));
    const numbers = base.numbers.map((n) => ({ ...n, voiceFallbackUrl: `${receiver.origin}/webhooks/voice/number-fallback`, voiceFallbackMethod: 'GET' as const }));
    sandbox = await startSandbox({ ...base, applications, numbers, port: 0, dataDir }, { log: () => undefined, ...extensions });
  });

  afterAll(async () => {
    await sandbox?.close();
    await receiver?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers its origin with a page saying the certificate is accepted and linking back to the softphone', async () => {
    const page = await new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
      httpsRequest(`${sandbox.url}/`, { rejectUnauthorized: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text: Buffer.concat(chunks).toString() }));
      }).on('error', reject).end();
    });
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('certificate is accepted');
    expect(page.text).toContain(`href="${receiver.origin}"`);
  });

  it('posts the TwiML App\'s status callback for the SDK caller\'s (parent) call when it completes, signed', async () => {
    receiver.twiml('/webhooks/voice/outgoing', '<Response><Pause length="0"/><Hangup/></Response>');
    const app = sandbox.config.applications[0];
    const leg = sandbox.core.startLeg(
      { accountSid: app.accountSid, from: 'client:alice', to: '+14155550177', direction: 'inbound' },
      new SilentPort(),
      { answer: async () => undefined, hangup: () => undefined },
    );
    extensions.outgoingCalls?.(sandbox)({ leg, applicationSid: app.sid, params: { To: '+14155550177' }, identity: 'alice' });

    const callback = await nextRequest('/webhooks/voice/status', (r) => r.params['CallSid'] === leg.callSid);
    expect(signed(callback)).toBe(true);
    expect(callback.params).toMatchObject({
      CallSid: leg.callSid,
      CallStatus: 'completed',
      From: 'client:alice',
      To: '+14155550177',
      Direction: 'inbound',
      AccountSid: app.accountSid,
      CallbackSource: 'call-progress-events',
      SequenceNumber: '0',
    });
    expect(callback.params['CallDuration']).toMatch(/^\d+$/);
    // Only the completed event, as for Twilio's application status callback.
    expect(receiver.received.filter((r) => r.path === '/webhooks/voice/status' && r.params['CallSid'] === leg.callSid)).toHaveLength(1);
  });

  it('lists a simulated inbound call in GET /sandbox/calls with its status events, and posts the number\'s status callback', async () => {
    receiver.twiml('/webhooks/voice/incoming', '<Response><Pause length="30"/></Response>');
    const started = await sandboxRequest(sandbox, 'POST', '/sandbox/inbound', {
      from: '+14155550150',
      to: SANDBOX_NUMBERS.support,
      script: [{ wait: 0.2 }, { hangup: true }],
    });
    expect(started.status).toBe(201);
    const { callSid } = started.body as { callSid: string };

    const callback = await nextRequest('/webhooks/voice/status', (r) => r.params['CallSid'] === callSid);
    expect(signed(callback)).toBe(true);
    expect(callback.params).toMatchObject({ CallStatus: 'completed', Direction: 'inbound', From: '+14155550150', To: SANDBOX_NUMBERS.support });

    const calls = await sandboxRequest(sandbox, 'GET', '/sandbox/calls');
    const leg = (calls.body as { legs: { callSid: string; direction: string; from: string; to: string; status: string; events: { status: string }[] }[] }).legs
      .find((l) => l.callSid === callSid);
    expect(leg).toMatchObject({ direction: 'inbound', status: 'completed', from: '+14155550150', to: SANDBOX_NUMBERS.support });
    expect(leg?.events.map((e) => e.status)).toEqual(['ringing', 'in-progress', 'completed']);
  });

  it('an SDK call whose voice URL keeps failing is retried as its #fragment says, then runs the app\'s VoiceFallbackUrl', async () => {
    let outgoingAttempts = 0;
    receiver.on('/webhooks/voice/outgoing', (_request, res) => {
      outgoingAttempts += 1;
      res.writeHead(503).end();
    });
    receiver.twiml('/webhooks/voice/app-fallback', '<Response><Hangup/></Response>');
    const app = sandbox.config.applications[0];
    const leg = sandbox.core.startLeg(
      { accountSid: app.accountSid, from: 'client:alice', to: '+14155550178', direction: 'inbound' },
      new SilentPort(),
      { answer: async () => undefined, hangup: () => undefined },
    );
    extensions.outgoingCalls?.(sandbox)({ leg, applicationSid: app.sid, params: { To: '+14155550178' }, identity: 'alice' });

    const fallback = await nextRequest('/webhooks/voice/app-fallback', (r) => r.params['CallSid'] === leg.callSid);
    expect(signed(fallback)).toBe(true);
    expect(fallback.params).toMatchObject({ ErrorCode: '11200', From: 'client:alice', ApplicationSid: app.sid });
    expect(fallback.params['ErrorUrl']).toContain('/webhooks/voice/outgoing');
    const attempts = receiver.received.filter((r) => r.path === '/webhooks/voice/outgoing' && r.params['CallSid'] === leg.callSid);
    expect(attempts).toHaveLength(3);
    expect(outgoingAttempts).toBe(3);
    expect(new Set(attempts.map((r) => r.headers['i-twilio-idempotency-token'])).size).toBe(1);
  });

  it('an inbound call whose number\'s voice URL fails gets the number\'s voice fallback (GET, as configured)', async () => {
    receiver.on('/webhooks/voice/incoming', (_request, res) => res.writeHead(500).end());
    receiver.twiml('/webhooks/voice/number-fallback', '<Response><Hangup/></Response>');
    const started = await sandboxRequest(sandbox, 'POST', '/sandbox/inbound', { from: '+14155550152', to: SANDBOX_NUMBERS.support, script: [] });
    const { callSid } = started.body as { callSid: string };
    const fallback = await nextRequest('/webhooks/voice/number-fallback', (r) => r.params['CallSid'] === callSid);
    expect(fallback.method).toBe('GET');
    // A GET is signed over its full URL (the parameters are in the query) and no body parameters.
    expect(twilio.validateRequest(SANDBOX_CREDENTIALS.authToken, String(fallback.headers['x-twilio-signature']), fallback.url, {})).toBe(true);
    expect(fallback.params).toMatchObject({ ErrorCode: '11200', To: SANDBOX_NUMBERS.support });
  });

  it('an inbound call rejected by its TwiML ends busy, never answered', async () => {
    receiver.twiml('/webhooks/voice/incoming', '<Response><Reject reason="busy"/></Response>');
    const started = await sandboxRequest(sandbox, 'POST', '/sandbox/inbound', { from: '+14155550151', to: SANDBOX_NUMBERS.support, script: [] });
    const { callSid } = started.body as { callSid: string };
    const callback = await nextRequest('/webhooks/voice/status', (r) => r.params['CallSid'] === callSid);
    expect(callback.params['CallStatus']).toBe('busy');
    expect(sandbox.core.getLeg(callSid)?.events.map((e) => e.status)).toEqual(['ringing', 'busy']);
  });
});
