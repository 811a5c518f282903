import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { WebhookReceiver, type ReceivedRequest } from '@switchboard/sandbox-twiml-engine';
import { defaultConfig } from './config';
import { startSandbox, type RunningSandbox } from './sandbox-app';
import { twimlEngineExtensions } from './twiml-wiring';

/**
 * The Conferences and Participants resources through the running sandbox (real HTTPS, the real twilio
 * client, the real conference rooms and a scripted phone): what the API does to put a customer on hold.
 */
describe('conference REST through the sandbox app', () => {
  let receiver: WebhookReceiver;
  let sandbox: RunningSandbox;
  let dataDir: string;
  let client: ReturnType<typeof twilio>;

  async function conferenceEvent(event: string, callSid: string): Promise<ReceivedRequest> {
    const matches = (r: ReceivedRequest) => r.path === '/conference-status' && r.params['StatusCallbackEvent'] === event && r.params['CallSid'] === callSid;
    for (;;) {
      const found = receiver.received.find(matches);
      if (found) return found;
      await receiver.waitFor(receiver.received.length + 1);
    }
  }

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    dataDir = mkdtempSync(join(tmpdir(), 'voice-sandbox-conference-'));
    sandbox = await startSandbox({ ...defaultConfig(receiver.origin), port: 0, dataDir }, { log: () => undefined, ...twimlEngineExtensions() });
    client = twilio(SANDBOX_CREDENTIALS.accountSid, SANDBOX_CREDENTIALS.authToken, {
      ca: readFileSync(join(dataDir, 'tls', 'sandbox-cert.pem'), 'utf8'),
    });
    client.api.baseUrl = sandbox.url;
  });

  afterAll(async () => {
    await sandbox?.close();
    await receiver?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('dials a scripted number into a conference by friendly name, holds it, then removes it (its call ends)', async () => {
    const created = await client.conferences('hold-test').participants.create({
      from: SANDBOX_NUMBERS.support,
      to: SANDBOX_NUMBERS.answersAndEchoes,
      label: 'customer',
      conferenceStatusCallback: `${receiver.origin}/conference-status`,
      conferenceStatusCallbackEvent: ['join', 'hold', 'leave'],
    });
    expect(created).toMatchObject({ label: 'customer', hold: false, accountSid: SANDBOX_CREDENTIALS.accountSid });
    expect(created.callSid).toMatch(/^CA[0-9a-f]{32}$/);

    const joined = await conferenceEvent('participant-join', created.callSid);
    expect(twilio.validateRequest(SANDBOX_CREDENTIALS.authToken, String(joined.headers['x-twilio-signature']), joined.url, joined.params)).toBe(true);
    expect(joined.params).toMatchObject({ FriendlyName: 'hold-test', ConferenceSid: created.conferenceSid });
    const [conference] = await client.conferences.list({ friendlyName: 'hold-test' });
    expect(conference).toMatchObject({ sid: created.conferenceSid, status: 'in-progress' });
    expect(await client.conferences(created.conferenceSid).participants('customer').fetch()).toMatchObject({ status: 'connected', hold: false });

    const held = await client.conferences(created.conferenceSid).participants('customer').update({ hold: true });
    expect(held).toMatchObject({ callSid: created.callSid, hold: true });
    expect((await conferenceEvent('participant-hold', created.callSid)).params).toMatchObject({ Hold: 'true' });
    expect((await client.conferences(created.conferenceSid).participants.list({ hold: true })).map((p) => p.callSid)).toEqual([created.callSid]);

    const callEnded = new Promise<void>((resolve) => {
      const stop = sandbox.core.onLegStatus((event) => {
        if (event.callSid === created.callSid && event.status === 'completed') {
          stop();
          resolve();
        }
      });
    });
    expect(await client.conferences(created.conferenceSid).participants(created.callSid).remove()).toBe(true);
    await conferenceEvent('participant-leave', created.callSid);
    await callEnded;
    const gone = await client.conferences(created.conferenceSid).participants(created.callSid).fetch().then(
      () => undefined,
      (error: { status: number; code: number }) => error,
    );
    expect(gone).toMatchObject({ status: 404, code: 20404 });
  });
});
