import { IncomingMessage, ServerResponse } from 'node:http';
import { ConferenceControl, LegDetails, LegEndpoint, LegStatus, SdkMessageChannel, StatusCallbackRequest, TelephonyCore } from '@switchboard/sandbox-model';
import {
  API_VERSION,
  LiveCallRegistry,
  rfc2822,
  runTwiml,
  StatusCallbackSender,
  TwimlEngineDeps,
} from '@switchboard/sandbox-twiml-engine';
import { authenticate, SandboxRestConfig } from './rest-config';
import { RestError, sendError, sendJson } from './rest-errors';
import { eventsParam, methodParam, urlParam } from './conference-params';
import { formValue, readRestForm } from './rest-form';
import { createCallMessageResources } from './user-defined-messages';
import { createConferenceResources } from './conference-resources';

export interface SandboxRestOptions {
  readonly config: SandboxRestConfig;
  readonly core: TelephonyCore;
  /** The engine's dependencies; `liveCalls` is required so calls can be redirected and ended. */
  readonly engine: TwimlEngineDeps & { readonly liveCalls: LiveCallRegistry };
  readonly statusCallbacks: StatusCallbackSender;
  /** The SDK legs, for UserDefinedMessages and their subscriptions (those paths 404 without it). */
  readonly callMessages?: SdkMessageChannel;
  /** The conferences, for the Conferences and Participants resources (those paths 404 without it). */
  readonly conferences?: ConferenceControl;
}

interface CallRecord {
  readonly sid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: string;
  readonly parentCallSid?: string;
  readonly dateCreated: number;
  status: LegStatus;
  dateUpdated: number;
  startTime?: number;
  endTime?: number;
  duration?: number;
}

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/(Calls|Recordings)(?:\/([^/]+?))?(\.json|\.wav|\.mp3)?$/;
const TERMINAL: readonly LegStatus[] = ['completed', 'busy', 'no-answer', 'canceled', 'failed'];

/**
 * The sandbox's subset of Twilio's REST API, framework-free for the core's node https server:
 * `const handle = createSandboxRestHandler(options); if (!(await handle(req, res))) next()`.
 * Resolves `false` for paths it does not serve; never throws.
 */
export function createSandboxRestHandler(options: SandboxRestOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const calls = new Map<string, CallRecord>();
  options.core.onLegStatus((event) => {
    let record = calls.get(event.callSid);
    if (!record && event.details) record = newRecord(event.callSid, event.details, event.at);
    if (!record) return;
    calls.set(event.callSid, record);
    if (TERMINAL.includes(record.status)) return;
    record.status = event.status;
    record.dateUpdated = event.at;
    // Twilio's start_time is when the call was dialed ("empty if the call has not yet been dialed").
    if (record.startTime === undefined && event.status !== 'queued') record.startTime = event.at;
    if (TERMINAL.includes(event.status)) {
      record.endTime = event.at;
      record.duration = event.durationSeconds ?? 0;
    }
  });

  const callMessages = options.callMessages
    ? createCallMessageResources({ config: options.config, channel: options.callMessages, engine: options.engine, findCall: (sid) => calls.get(sid) })
    : undefined;

  const conferences = createConferenceResources({ config: options.config, control: options.conferences, log: options.engine.log });

  return async (req, res) => {
    if (callMessages && (await callMessages(req, res))) return true;
    if (await conferences(req, res)) return true;
    const path = (req.url ?? '/').split('?')[0];
    const match = ACCOUNT_PATH.exec(path);
    if (!match) return false;
    const [, accountSid, collection, sid, extension] = match;
    try {
      const account = authenticate(req, options.config, decodeURIComponent(accountSid));
      if (collection === 'Calls') {
        if (extension !== '.json') throw notFound(path);
        if (!sid && req.method === 'POST') await createCall(req, res, account.accountSid);
        else if (sid && req.method === 'GET') sendJson(res, 200, callJson(findCall(sid, account.accountSid, path)));
        else if (sid && req.method === 'POST') await updateCall(req, res, findCall(sid, account.accountSid, path));
        else throw new RestError(405, 20004, 'Method not allowed');
      } else {
        if (sid && req.method === 'DELETE' && (extension === undefined || extension === '.json')) {
          // Twilio deletes the recording and answers 204 with no body; an unknown one is 20404.
          if (!(await options.engine.recordings.remove(account.accountSid, sid))) throw notFound(path);
          res.writeHead(204);
          res.end();
        } else if (!sid || req.method !== 'GET') throw notFound(path);
        else await getRecording(req, res, account.accountSid, sid, extension, path);
      }
    } catch (error) {
      if (error instanceof RestError) sendError(res, error);
      else {
        options.engine.log.error('REST handler failed', { path, error: String(error) });
        sendError(res, new RestError(500, 20500, 'Internal Server Error'));
      }
    }
    return true;
  };

  function findCall(sid: string, accountSid: string, path: string): CallRecord {
    const record = calls.get(sid);
    if (!record || record.accountSid !== accountSid) throw notFound(path);
    return record;
  }

  async function createCall(req: IncomingMessage, res: ServerResponse, accountSid: string): Promise<void> {
    const form = await readRestForm(req);
    const to = parseEndpoint(formValue(form, 'To'), 21201, 21211, 'To');
    const from = formValue(form, 'From');
    if (!from) throw new RestError(400, 21603, "A 'From' phone number is required.");
    if (!/^(\+?\d{3,15}|client:[^\s]{1,256})$/.test(from)) throw new RestError(400, 21212, `Invalid From Phone Number: ${from}`);
    const url = urlParam(form, 'Url', 21205);
    if (!url) throw new RestError(400, 21205, 'Url is required (the sandbox does not run inline Twiml).');
    const method = methodParam(form, 'Method', 'POST');
    const timeoutText = formValue(form, 'Timeout');
    const timeoutSeconds = timeoutText === undefined ? 60 : Number(timeoutText);
    if (!/^\d+$/.test(timeoutText ?? '60') || timeoutSeconds < 1 || timeoutSeconds > 600) {
      throw new RestError(400, 20001, 'Timeout must be a whole number of seconds from 1 to 600.');
    }
    const statusCallback = parseStatusCallback(form);
    const toText = to.kind === 'client' ? `client:${to.identity}` : to.number;
    const details: LegDetails = { accountSid, from, to: toText, direction: 'outbound-api', statusCallback };
    const { callSid } = await options.core.originate({
      accountSid,
      from,
      to,
      timeoutSeconds,
      statusCallback,
      onAnswered: (leg) => {
        void runTwiml(leg, { url, method, answered: true }, options.engine);
      },
    });
    if (statusCallback) options.statusCallbacks.watch(callSid, details);
    const now = options.engine.clock.now();
    const record = calls.get(callSid) ?? newRecord(callSid, details, now);
    calls.set(callSid, record);
    sendJson(res, 201, callJson(record));
  }

  async function updateCall(req: IncomingMessage, res: ServerResponse, record: CallRecord): Promise<void> {
    const form = await readRestForm(req);
    const status = formValue(form, 'Status');
    const url = urlParam(form, 'Url', 21205);
    if (status !== undefined && status !== 'completed' && status !== 'canceled') {
      throw new RestError(400, 20001, 'Status must be completed or canceled.');
    }
    const live = options.engine.liveCalls.get(record.sid);
    if (status === 'completed') {
      if (live) live.hangup();
      else options.core.endCall?.(record.sid, 'completed');
    } else if (status === 'canceled') {
      // Twilio cancels only calls that are still queued or ringing; others are left alone.
      if (record.status === 'queued' || record.status === 'ringing' || record.status === 'initiated') {
        options.core.endCall?.(record.sid, 'canceled');
      }
    } else if (url) {
      if (!live) throw new RestError(400, 21220, 'Call is not in-progress. Cannot redirect.');
      live.redirect(url, methodParam(form, 'Method', 'POST'));
    } else {
      throw new RestError(400, 20001, 'Give Status or Url.');
    }
    sendJson(res, 200, callJson(record));
  }

  async function getRecording(
    req: IncomingMessage,
    res: ServerResponse,
    accountSid: string,
    sid: string,
    extension: string | undefined,
    path: string,
  ): Promise<void> {
    const recording = await options.engine.recordings.get(accountSid, sid);
    if (!recording) throw notFound(path);
    if (extension === '.mp3') throw new RestError(415, 20415, 'The sandbox keeps recordings as WAV only; fetch the .wav form.');
    // Like Twilio, the bare RecordingUrl is the audio (WAV); `.json` is the metadata.
    if (extension === '.json') {
      const { metadata } = recording;
      const uri = `/2010-04-01/Accounts/${accountSid}/Recordings/${sid}.json`;
      sendJson(res, 200, {
        sid, account_sid: accountSid, call_sid: metadata.callSid, api_version: API_VERSION,
        date_created: rfc2822(metadata.dateCreated), date_updated: rfc2822(metadata.dateCreated), start_time: rfc2822(metadata.dateCreated),
        duration: String(metadata.durationSeconds), channels: metadata.channels, source: metadata.source, status: metadata.status,
        price: null, price_unit: 'USD', error_code: null, conference_sid: null, encryption_details: null, track: 'both',
        uri, media_url: `${options.config.publicOrigin.replace(/\/+$/, '')}/2010-04-01/Accounts/${accountSid}/Recordings/${sid}`,
        subresource_uris: {},
      });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'audio/x-wav', 'Content-Length': recording.wav.length });
    res.end(req.method === 'HEAD' ? undefined : recording.wav);
  }

  function callJson(record: CallRecord): Record<string, unknown> {
    const uri = `/2010-04-01/Accounts/${record.accountSid}/Calls/${record.sid}.json`;
    return {
      sid: record.sid, account_sid: record.accountSid, parent_call_sid: record.parentCallSid ?? null,
      to: record.to, to_formatted: record.to, from: record.from, from_formatted: record.from,
      status: record.status, direction: record.direction, api_version: API_VERSION,
      date_created: rfc2822(record.dateCreated), date_updated: rfc2822(record.dateUpdated),
      start_time: record.startTime === undefined ? null : rfc2822(record.startTime),
      end_time: record.endTime === undefined ? null : rfc2822(record.endTime),
      duration: record.duration === undefined ? null : String(record.duration),
      price: null, price_unit: 'USD', answered_by: null, forwarded_from: null, caller_name: null, group_sid: null,
      phone_number_sid: null, queue_time: '0', trunk_sid: null, uri,
      subresource_uris: { recordings: uri.replace(/\.json$/, '/Recordings.json') },
    };
  }

  function parseStatusCallback(form: URLSearchParams): StatusCallbackRequest | undefined {
    const url = urlParam(form, 'StatusCallback', 21609);
    if (!url) return undefined;
    const events = eventsParam(form, 'StatusCallbackEvent', ['initiated', 'ringing', 'answered', 'completed'] as const, ['completed']);
    return { url, method: methodParam(form, 'StatusCallbackMethod', 'POST'), events };
  }
}

function newRecord(sid: string, details: LegDetails, at: number): CallRecord {
  return {
    sid, accountSid: details.accountSid, from: details.from, to: details.to, direction: details.direction,
    parentCallSid: details.parentCallSid, dateCreated: at, dateUpdated: at, status: 'queued',
  };
}

function notFound(path: string): RestError {
  return new RestError(404, 20404, `The requested resource ${path} was not found`);
}

function parseEndpoint(value: string | undefined, missingCode: number, invalidCode: number, name: string): LegEndpoint {
  if (!value) throw new RestError(400, missingCode, `A '${name}' phone number is required.`);
  if (value.startsWith('client:')) {
    const identity = value.slice('client:'.length);
    if (!identity || identity.length > 256 || /\s/.test(identity)) throw new RestError(400, invalidCode, `Invalid '${name}': ${value}`);
    return { kind: 'client', identity };
  }
  const number = value.replace(/[\s().-]/g, '');
  if (!/^\+?\d{3,15}$/.test(number)) throw new RestError(400, invalidCode, `Invalid '${name}' Phone Number: ${value}`);
  return { kind: 'number', number };
}
