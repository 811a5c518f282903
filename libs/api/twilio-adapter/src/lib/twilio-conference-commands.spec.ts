import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { ConferenceCommandError, type AddParticipantCommand } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from './twilio-conference-commands';

/**
 * What the adapter sends and how it reads answers, against a local HTTP server standing in for the REST
 * API (the behaviour against the real voice sandbox is apps/api/test/conference-commands.e2e-spec.ts).
 */
const CONFERENCE = `CF${'a'.repeat(32)}`;
const CALL = `CA${'b'.repeat(32)}`;
const PUBLIC = 'https://switchboard.test';

interface Seen { method: string; path: string; form: URLSearchParams }
type Answer = (req: Seen, res: ServerResponse) => void;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const participant = (overrides: Record<string, unknown> = {}) => ({
  call_sid: CALL, conference_sid: CONFERENCE, label: 'customer', status: 'connected', hold: false, muted: false, coaching: false,
  call_sid_to_coach: null, start_conference_on_enter: true, end_conference_on_exit: false, ...overrides,
});
const restError = (res: ServerResponse, status: number, code: number) => json(res, status, { status, code, message: `error ${code}` });

describe('TwilioConferenceCommands (REST requests and answers)', () => {
  const seen: Seen[] = [];
  let answer: Answer = (_req, res) => restError(res, 500, 20500);
  let server: Server;
  let commands: TwilioConferenceCommands;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const entry = { method: req.method ?? '', path: (req.url ?? '').replace(/^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}/, ''), form: new URLSearchParams(body) };
        seen.push(entry);
        answer(entry, res);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const config = loadAppConfig({ SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL: PUBLIC, TWILIO_API_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    commands = new TwilioConferenceCommands(config, 500);
  });
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  beforeEach(() => { seen.length = 0; });

  const command: AddParticipantCommand = {
    conference: { friendlyName: 'call-CA1' }, to: 'client:alice', from: '+14155550100', label: 'agent:alice', timeoutSeconds: 20,
    startConferenceOnEnter: true, endConferenceOnExit: false, beep: 'onEnter', waitMusic: 'silence', earlyMedia: true,
    callStatusCallback: { path: '/webhooks/voice/status', query: { leg: "o'brien" } },
    conferenceStatusCallback: { path: '/webhooks/voice/conference-status' }, conferenceEvents: ['join', 'leave', 'hold'],
  };

  it('creates a participant by friendly name with every parameter Twilio takes, URLs built on the public origin', async () => {
    answer = (_req, res) => json(res, 201, participant({ status: 'queued' }));
    expect(await commands.addParticipant(command)).toEqual({ callSid: CALL, conferenceSid: CONFERENCE });
    expect(seen).toHaveLength(1);
    const [{ method, path, form }] = seen;
    expect([method, path]).toEqual(['POST', '/Conferences/call-CA1/Participants.json']);
    expect(Object.fromEntries([...new Set(form.keys())].map((key) => [key, form.getAll(key)]))).toEqual({
      To: ['client:alice'], From: ['+14155550100'], Label: ['agent:alice'], Timeout: ['20'], StartConferenceOnEnter: ['true'],
      EndConferenceOnExit: ['false'], Beep: ['onEnter'], EarlyMedia: ['true'], WaitUrl: [''],
      StatusCallback: [`${PUBLIC}/webhooks/voice/status?leg=o%27brien`], StatusCallbackMethod: ['POST'],
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      ConferenceStatusCallback: [`${PUBLIC}/webhooks/voice/conference-status`], ConferenceStatusCallbackMethod: ['POST'],
      ConferenceStatusCallbackEvent: ['join', 'leave', 'hold'],
    });
  });

  it('passes a time limit as TimeLimit (seconds) and EarlyMedia=false as given; sends neither when omitted', async () => {
    answer = (_req, res) => json(res, 201, participant({ status: 'queued' }));
    await commands.addParticipant({ ...command, to: '+14155550123', timeLimitSeconds: 3600, earlyMedia: false });
    await commands.addParticipant({ ...command, earlyMedia: undefined });
    expect(seen.map(({ form }) => [form.getAll('TimeLimit'), form.getAll('EarlyMedia')])).toEqual([[['3600'], ['false']], [[], []]]);
  });

  it('holds with our TwiML webhook (POST) or a configured audio URL (GET); resumes without one', async () => {
    answer = (req, res) => json(res, 200, participant({ hold: req.form.get('Hold') === 'true' }));
    expect(await commands.setHold(CONFERENCE, 'customer', true, { webhook: { path: '/webhooks/voice/hold-music' } })).toMatchObject({ hold: true, label: 'customer' });
    await commands.setHold(CONFERENCE, CALL, true, { absoluteUrl: 'https://cdn.example.com/hold.mp3' });
    await commands.setHold(CONFERENCE, 'customer', false, { absoluteUrl: 'https://cdn.example.com/hold.mp3' });
    expect(seen.map((s) => [s.path, Object.fromEntries(s.form)])).toEqual([
      [`/Conferences/${CONFERENCE}/Participants/customer.json`, { Hold: 'true', HoldUrl: `${PUBLIC}/webhooks/voice/hold-music`, HoldMethod: 'POST' }],
      [`/Conferences/${CONFERENCE}/Participants/${CALL}.json`, { Hold: 'true', HoldUrl: 'https://cdn.example.com/hold.mp3', HoldMethod: 'GET' }],
      [`/Conferences/${CONFERENCE}/Participants/customer.json`, { Hold: 'false' }],
    ]);
  });

  it('tells a gone participant from a gone conference by asking for the conference after a 20404', async () => {
    for (const [conferenceAnswer, expected] of [[200, 'participant-gone'], [404, 'conference-gone']] as const) {
      answer = (req, res) => (req.path === `/Conferences/${CONFERENCE}.json`
        ? (conferenceAnswer === 200 ? json(res, 200, { sid: CONFERENCE, friendly_name: 'x', status: 'in-progress' }) : restError(res, 404, 20404))
        : restError(res, 404, 20404));
      const failure = await commands.setMuted(CONFERENCE, 'agent', true).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConferenceCommandError);
      expect([(failure as ConferenceCommandError).failure, (failure as ConferenceCommandError).code]).toEqual([expected, 20404]);
    }
    answer = (req, res) => (req.path === `/Conferences/${CONFERENCE}.json`
      ? json(res, 200, { sid: CONFERENCE, friendly_name: 'x', status: 'completed' })
      : restError(res, 404, 20404));
    expect(await commands.removeParticipant(CONFERENCE, 'agent').catch((error: ConferenceCommandError) => error.failure)).toBe('conference-gone');
  });

  it('maps 429 and 5xx to telephony-unavailable (retryable), 21220 to not-connected, other 4xx to rejected', async () => {
    const cases: Array<[number, number, string, boolean]> = [
      [429, 20429, 'telephony-unavailable', true], [503, 20503, 'telephony-unavailable', true],
      [400, 21220, 'not-connected', false], [401, 20003, 'rejected', false], [400, 21211, 'rejected', false],
    ];
    for (const [status, code, failure, retryable] of cases) {
      answer = (_req, res) => restError(res, status, code);
      const error = (await commands.redirectCall(CALL, { path: '/webhooks/voice/voicemail' }).catch((caught: unknown) => caught)) as ConferenceCommandError;
      expect([error.failure, error.status, error.code, error.retryable]).toEqual([failure, status, code, retryable]);
    }
  });

  it('logs a call that hung up first (20404, 21220) at debug and every other failure at warn', async () => {
    const logger = (commands as unknown as { logger: { warn(message: string): void; debug(message: string): void } }).logger;
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const debug = jest.spyOn(logger, 'debug').mockImplementation(() => undefined);
    try {
      const cases: Array<[number, number, 'debug' | 'warn']> = [[404, 20404, 'debug'], [400, 21220, 'debug'], [400, 21211, 'warn'], [503, 20503, 'warn'], [401, 20003, 'warn']];
      for (const [status, code, level] of cases) {
        warn.mockClear();
        debug.mockClear();
        answer = (_req, res) => restError(res, status, code);
        await expect(commands.endCall(CALL, 'hang-up')).rejects.toBeInstanceOf(ConferenceCommandError);
        expect([code, debug.mock.calls.length, warn.mock.calls.length]).toEqual([code, level === 'debug' ? 1 : 0, level === 'warn' ? 1 : 0]);
      }
    } finally {
      warn.mockRestore();
      debug.mockRestore();
    }
  });

  it('gives up on a server that answers too slowly, even one that keeps trickling bytes', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      const trickle = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(trickle));
    };
    const failure = (await commands.listParticipants(CONFERENCE).catch((caught: unknown) => caught)) as ConferenceCommandError;
    expect([failure.failure, failure.status, failure.retryable]).toEqual(['telephony-unavailable', null, true]);
  });

  it('refuses malformed SIDs, labels and names before sending anything', async () => {
    const attempts = [
      commands.setHold('CF123', 'customer', true),
      commands.setMuted(CONFERENCE, '../../Calls/x', true),
      commands.setCoaching(CONFERENCE, 'agent', 'not-a-call'),
      commands.addParticipant({ ...command, conference: { friendlyName: 'a name?with=query' } }),
      commands.addParticipant({ ...command, label: 'has space' }),
      commands.setHold(CONFERENCE, 'customer', true, { absoluteUrl: 'javascript:alert(1)' }),
      commands.endCall('CA', 'hang-up'),
    ];
    for (const attempt of attempts) {
      expect(await attempt.catch((error: ConferenceCommandError) => [error.failure, error.status])).toEqual(['rejected', null]);
    }
    expect(seen).toEqual([]);
  });
});
