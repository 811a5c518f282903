import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { ConferenceCommandError, type AddParticipantCommand, type ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { validateRequest } from 'twilio';
import { placeInboundCall, startSandboxFromSource, stopSandbox, type SandboxProcess } from './support/sandbox-from-source';

/**
 * TwilioConferenceCommands against the real voice sandbox over real HTTPS: the sandbox's own entry point
 * (apps/voice-sandbox/src/main.ts) started from source by ts-node (support/sandbox-from-source.ts), as process-faults/api-process.ts starts
 * the API (dist may be missing or stale while tests run, and an app cannot import another app). The
 * sandbox dials its scripted numbers and sends its signed callbacks to a receiver standing in for the API's
 * public origin, so the URLs the adapter builds are checked as Twilio would request them.
 */
const STATUS_PATH = '/webhooks/voice/status';
const CONFERENCE_STATUS_PATH = '/webhooks/voice/conference-status';
const VOICEMAIL_TWIML_PATH = '/webhooks/voice/voicemail-twiml';

interface Received { readonly path: string; readonly url: string; readonly params: Record<string, string>; readonly signature: string }

/** The API's public origin as the sandbox sees it: records every signed request, answers TwiML that waits. */
class WebhookReceiver extends EventEmitter {
  readonly received: Received[] = [];
  private server?: Server;
  origin = '';
  /** The TwiML body for a webhook; by default the call waits (a redirected call stays there until hung up). */
  twiml: (request: Received) => string = () => '<Pause length="60"/>';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const url = req.url ?? '/';
        const entry = {
          path: url.split('?')[0], url: `${this.origin}${url}`,
          params: Object.fromEntries(new URLSearchParams(body)), signature: String(req.headers['x-twilio-signature'] ?? ''),
        };
        this.received.push(entry);
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Response>${this.twiml(entry)}</Response>`);
        this.emit('request', entry);
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves with the first request (already received or yet to come) that matches. */
  async next(matches: (r: Received) => boolean): Promise<Received> {
    const found = this.received.find(matches);
    if (found) return found;
    return new Promise((resolveFound) => {
      const listener = (entry: Received) => {
        if (!matches(entry)) return;
        this.off('request', listener);
        resolveFound(entry);
      };
      this.on('request', listener);
    });
  }

  conferenceEvent(event: string, callSid?: string): Promise<Received> {
    return this.next((r) => r.path === CONFERENCE_STATUS_PATH && r.params['StatusCallbackEvent'] === event && (callSid === undefined || r.params['CallSid'] === callSid));
  }

  callStatus(callSid: string, status: string): Promise<Received> {
    return this.next((r) => r.path === STATUS_PATH && r.params['CallSid'] === callSid && r.params['CallStatus'] === status);
  }

  stop(): Promise<void> {
    return new Promise((resolveStop) => (this.server ? this.server.close(() => resolveStop()) : resolveStop()));
  }
}

async function failureOf(promise: Promise<unknown>): Promise<ConferenceCommandError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof ConferenceCommandError)) throw new Error(`expected a ConferenceCommandError, got ${String(error)}`);
  return error;
}

describe('TwilioConferenceCommands against the voice sandbox', () => {
  let receiver: WebhookReceiver;
  let sandbox: SandboxProcess;
  let dataDir: string;
  let commands: ConferenceCommands;

  const dial = (conference: AddParticipantCommand['conference'], to: string, label: string, extra: Partial<AddParticipantCommand> = {}) =>
    commands.addParticipant({
      conference, to, label, from: SANDBOX_NUMBERS.support, timeoutSeconds: 20,
      startConferenceOnEnter: true, endConferenceOnExit: false, beep: false,
      callStatusCallback: { path: STATUS_PATH, query: { leg: label } },
      conferenceStatusCallback: { path: CONFERENCE_STATUS_PATH, query: { anchor: "o'brien & co" } },
      conferenceEvents: ['start', 'end', 'join', 'leave', 'hold', 'mute', 'modify'],
      ...extra,
    });

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    dataDir = mkdtempSync(join(tmpdir(), 'conference-commands-'));
    sandbox = await startSandboxFromSource(receiver.origin, dataDir);
    const config = loadAppConfig({
      SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL: receiver.origin, TWILIO_API_BASE_URL: sandbox.url, DATA_DIR: 'memory://', STATIC_DIR: 'none',
    });
    commands = new TwilioConferenceCommands(config);
  });

  afterAll(async () => {
    await stopSandbox(sandbox);
    await receiver?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('anchors a customer in a named conference, adds an agent, holds, mutes, coaches, removes and completes', async () => {
    const name = `call-${randomBytes(4).toString('hex')}`;
    const customer = await dial({ friendlyName: name }, SANDBOX_NUMBERS.answersAndEchoes, 'customer');
    const joined = await receiver.conferenceEvent('participant-join', customer.callSid);
    // The callback came to the URL publicUrl built (query percent-encoded), signed over exactly that URL.
    expect(joined.url).toBe(`${receiver.origin}${CONFERENCE_STATUS_PATH}?anchor=o%27brien%20%26%20co`);
    expect(validateRequest(SANDBOX_CREDENTIALS.authToken, joined.signature, joined.url, joined.params)).toBe(true);
    expect(joined.params).toMatchObject({ FriendlyName: name, ConferenceSid: customer.conferenceSid, ParticipantLabel: 'customer' });
    const answered = await receiver.callStatus(customer.callSid, 'in-progress');
    expect(answered.url).toBe(`${receiver.origin}${STATUS_PATH}?leg=customer`);
    expect(await commands.findConferenceByName(name)).toEqual({ sid: customer.conferenceSid, friendlyName: name, status: 'in-progress' });

    const agent = await dial({ sid: customer.conferenceSid }, SANDBOX_NUMBERS.answersWithTone, 'agent');
    expect(agent.conferenceSid).toBe(customer.conferenceSid);
    await receiver.conferenceEvent('participant-join', agent.callSid);
    const sid = customer.conferenceSid;
    expect((await commands.listParticipants(sid)).map((p) => [p.label, p.callSid, p.status, p.hold])).toEqual([
      ['customer', customer.callSid, 'connected', false],
      ['agent', agent.callSid, 'connected', false],
    ]);

    expect(await commands.setHold(sid, 'customer', true)).toMatchObject({ callSid: customer.callSid, hold: true });
    expect((await receiver.conferenceEvent('participant-hold', customer.callSid)).params['Hold']).toBe('true');
    expect(await commands.setHold(sid, customer.callSid, false)).toMatchObject({ hold: false });
    await receiver.conferenceEvent('participant-unhold', customer.callSid);

    expect(await commands.setMuted(sid, 'agent', true)).toMatchObject({ callSid: agent.callSid, muted: true });
    expect((await receiver.conferenceEvent('participant-mute', agent.callSid)).params['Muted']).toBe('true');

    expect(await commands.setCoaching(sid, 'agent', customer.callSid)).toMatchObject({ coaching: true, callSidToCoach: customer.callSid });
    expect(await commands.setCoaching(sid, 'agent', null)).toMatchObject({ coaching: false });
    expect(await commands.setEndConferenceOnExit(sid, 'customer', true)).toMatchObject({ endConferenceOnExit: true });
    expect((await commands.listParticipants(sid)).find((p) => p.label === 'agent')).toMatchObject({ muted: true, coaching: false, hold: false });

    await commands.removeParticipant(sid, 'agent');
    await receiver.conferenceEvent('participant-leave', agent.callSid);
    await receiver.callStatus(agent.callSid, 'completed');
    expect((await failureOf(commands.setMuted(sid, 'agent', false))).failure).toBe('participant-gone');
    const ended = await failureOf(commands.redirectCall(agent.callSid, { path: VOICEMAIL_TWIML_PATH }));
    expect([ended.failure, ended.code, ended.retryable]).toEqual(['not-connected', 21220, false]);

    expect(await commands.completeConference(sid)).toEqual({ sid, friendlyName: name, status: 'completed' });
    await receiver.conferenceEvent('conference-end');
    await receiver.callStatus(customer.callSid, 'completed');
    expect(await commands.findConferenceByName(name)).toBeNull();
    const gone = await failureOf(commands.setHold(sid, 'customer', true));
    expect([gone.failure, gone.status, gone.code]).toEqual(['conference-gone', 404, 20404]);
  });

  it('moves a scripted PSTN caller anchored by <Dial><Conference> to voicemail TwiML and hangs it up; cancels a call still ringing', async () => {
    const name = `call-${randomBytes(4).toString('hex')}`;
    // The support number's voice URL is the receiver's /webhooks/voice/incoming: it anchors the caller in the conference.
    receiver.twiml = (request) => request.path !== '/webhooks/voice/incoming' ? '<Pause length="60"/>'
      : `<Dial><Conference participantLabel="customer" startConferenceOnEnter="true" endConferenceOnExit="false" beep="false" `
        + `statusCallback="${receiver.origin}${CONFERENCE_STATUS_PATH}" statusCallbackEvent="join leave">${name}</Conference></Dial>`;
    const { callSid: customer } = await placeInboundCall(sandbox.url, { from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support, script: [{ silence: 120 }] });
    const joined = await receiver.conferenceEvent('participant-join', customer);
    const conference = await commands.findConferenceByName(name);
    expect(conference).toEqual({ sid: joined.params['ConferenceSid'], friendlyName: name, status: 'in-progress' });
    const sid = conference?.sid ?? '';

    const ringing = await dial({ sid }, SANDBOX_NUMBERS.noAnswer, 'transfer-target');
    const notYet = await failureOf(commands.setHold(sid, 'transfer-target', true));
    expect([notYet.failure, notYet.code]).toEqual(['not-connected', 21220]);
    expect(await commands.endCall(ringing.callSid, 'cancel-if-not-answered')).toEqual({ status: 'canceled' });
    await receiver.callStatus(ringing.callSid, 'canceled');

    await commands.redirectCall(customer, { path: VOICEMAIL_TWIML_PATH, query: { target: 'support' } });
    const fetched = await receiver.next((r) => r.path === VOICEMAIL_TWIML_PATH && r.params['CallSid'] === customer);
    expect(fetched.url).toBe(`${receiver.origin}${VOICEMAIL_TWIML_PATH}?target=support`);
    expect(validateRequest(SANDBOX_CREDENTIALS.authToken, fetched.signature, fetched.url, fetched.params)).toBe(true);
    await receiver.conferenceEvent('participant-leave', customer);

    await commands.endCall(customer, 'hang-up');
    await receiver.callStatus(customer, 'completed'); // the number's status callback
    const redirectAgain = await failureOf(commands.redirectCall(customer, { path: VOICEMAIL_TWIML_PATH }));
    expect(redirectAgain.failure).toBe('not-connected');
  });

  it('answers unknown conferences, participants and calls with what is gone, and refuses malformed input', async () => {
    const unknownConference = `CF${'0'.repeat(32)}`;
    for (const attempt of [
      commands.setHold(unknownConference, 'customer', true),
      commands.listParticipants(unknownConference),
      commands.completeConference(unknownConference),
      commands.removeParticipant(unknownConference, `CA${'1'.repeat(32)}`),
    ]) {
      const failure = await failureOf(attempt);
      expect([failure.failure, failure.status, failure.retryable]).toEqual(['conference-gone', 404, false]);
    }
    expect(await commands.findConferenceByName('nobody-is-here')).toBeNull();
    expect((await failureOf(commands.redirectCall(`CA${'2'.repeat(32)}`, { path: VOICEMAIL_TWIML_PATH }))).failure).toBe('call-gone');
    expect((await failureOf(commands.endCall(`CA${'2'.repeat(32)}`, 'hang-up'))).failure).toBe('call-gone');

    const refused = await failureOf(dial({ friendlyName: 'has/slash' }, SANDBOX_NUMBERS.answersAndEchoes, 'customer'));
    expect([refused.failure, refused.status]).toEqual(['rejected', null]);
    expect((await failureOf(commands.setMuted('../Calls', 'x', true))).failure).toBe('rejected');
    const badNumber = await failureOf(dial({ friendlyName: 'bad-number' }, 'not a number', 'customer'));
    expect([badNumber.failure, badNumber.status, badNumber.code]).toEqual(['rejected', 400, 21211]);
  });

  it('reports a stopped sandbox as telephony-unavailable, retryable', async () => {
    await stopSandbox(sandbox);
    const failure = await failureOf(commands.findConferenceByName('any'));
    expect([failure.failure, failure.status, failure.retryable]).toEqual(['telephony-unavailable', null, true]);
    expect((await failureOf(commands.setHold(`CF${'3'.repeat(32)}`, 'customer', true))).retryable).toBe(true);
  });
});
