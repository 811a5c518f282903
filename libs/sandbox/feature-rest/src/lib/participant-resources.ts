import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CONFERENCE_EVENTS,
  isConferenceError,
  type AddParticipantRequest,
  type ConferenceControl,
  type ConferenceResult,
  type ParticipantUpdate,
  type ParticipantView,
} from '@switchboard/sandbox-model';
import { rfc2822 } from '@switchboard/sandbox-twiml-engine';
import {
  booleanParam,
  callSidParam,
  eventsParam,
  integerParam,
  methodParam,
  notFound,
  portError,
  urlParam,
} from './conference-params';
import { RestError, sendJson } from './rest-errors';
import { formValue, readRestForm } from './rest-form';
import { listPage } from './rest-paging';

export interface ParticipantRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly accountSid: string;
  /** The path's conference segment, decoded: a `CF…` SID, or (for create only) a friendly name. */
  readonly conference: string;
  /** The path's participant segment, decoded: a call SID or a label; undefined for the collection. */
  readonly participant?: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

const CONFERENCE_SID = /^CF[0-9a-fA-F]{32}$/;
const CALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;
const FROM = /^(\+?\d{3,15}|client:[^\s]{1,256})$/;
/** Twilio's configurable call limits: one minute to 24 hours (twilio.com/blog, "Introducing Configurable Call Limits"). */
const TIME_LIMIT_MIN = 60;
const TIME_LIMIT_MAX = 86_400;

/**
 * Twilio's Participant resource (https://www.twilio.com/docs/voice/api/conference-participant-resource),
 * under /2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/:
 * - `GET Participants.json` (filters Muted, Hold, Coaching; paged like every list);
 * - `POST Participants.json`: dial To and join it; the conference segment may be a friendly name,
 *   which creates the conference when there is none (as Twilio does); answers 201 with the queued
 *   participant;
 * - `GET|POST|DELETE Participants/{CallSidOrLabel}.json`: fetch, update (hold, mute, coach, announce,
 *   endConferenceOnExit), remove (hangs up the call; 204).
 * Parameter names and defaults are the twilio client's (rest/api/v2010/account/conference/participant.js).
 * Errors the conference side decides (not found, not connected) come from the port with their code.
 */
export function createParticipantResources(control: ConferenceControl): (request: ParticipantRequest) => Promise<void> {
  return async (request) => {
    const { req, res, accountSid, conference, participant, path } = request;
    const creating = participant === undefined && req.method === 'POST';
    // Only create takes a friendly name; everywhere else Twilio addresses a conference by SID.
    if (!creating && !CONFERENCE_SID.test(conference)) throw notFound(path);
    if (participant === undefined) {
      if (creating) return addParticipant(control, req, res, accountSid, conference);
      if (req.method !== 'GET') throw new RestError(405, 20004, 'Method not allowed');
      return listParticipants(control, request);
    }
    if (req.method === 'GET') {
      return sendJson(res, 200, participantJson(settle(control.fetchParticipant(accountSid, conference, participant))));
    }
    if (req.method === 'POST') {
      const update = readUpdate(await readRestForm(req));
      return sendJson(res, 200, participantJson(settle(control.updateParticipant(accountSid, conference, participant, update))));
    }
    if (req.method === 'DELETE') {
      settle(control.removeParticipant(accountSid, conference, participant));
      res.writeHead(204);
      res.end();
      return;
    }
    throw new RestError(405, 20004, 'Method not allowed');
  };
}

function listParticipants(control: ConferenceControl, { res, accountSid, conference, path, query }: ParticipantRequest): void {
  const muted = booleanParam(query, 'Muted');
  const hold = booleanParam(query, 'Hold');
  const coaching = booleanParam(query, 'Coaching');
  const found = settle(control.listParticipants(accountSid, conference))
    .filter((view) => (muted === undefined || view.muted === muted) && (hold === undefined || view.hold === hold))
    .filter((view) => coaching === undefined || view.coaching === coaching)
    // In the order they joined; the call SID breaks ties so pages are stable.
    .slice()
    .sort((a, b) => a.dateCreated - b.dateCreated || a.callSid.localeCompare(b.callSid));
  sendJson(res, 200, listPage(query, path, 'participants', found, (view) => view.callSid, participantJson));
}

async function addParticipant(control: ConferenceControl, req: IncomingMessage, res: ServerResponse, accountSid: string, conference: string): Promise<void> {
  const form = await readRestForm(req);
  if (!conference.trim()) throw new RestError(404, 20404, 'A conference SID or friendly name is required.');
  const request: AddParticipantRequest = { accountSid, conference, ...readCreate(form) };
  const result = await control.addParticipant(request);
  sendJson(res, 201, participantJson(settle(result)));
}

/** Create parameters; defaults as Twilio documents them (participant.d.ts ParticipantListInstanceCreateOptions). */
function readCreate(form: URLSearchParams): Omit<AddParticipantRequest, 'accountSid' | 'conference'> {
  const from = formValue(form, 'From');
  if (!from) throw new RestError(400, 21603, "A 'From' phone number is required.");
  if (!FROM.test(from)) throw new RestError(400, 21212, `Invalid From Phone Number: ${from}`);
  const to = readTo(formValue(form, 'To'));
  const beepText = formValue(form, 'Beep') || 'true';
  const beep = beepText === 'true' ? true : beepText === 'false' ? false : beepText;
  if (beep !== true && beep !== false && beep !== 'onEnter' && beep !== 'onExit') {
    throw new RestError(400, 20001, `Beep must be true, false, onEnter or onExit, not "${beepText}".`);
  }
  const callSidToCoach = callSidParam(form, 'CallSidToCoach');
  // "If not present, defaults to false unless call_sid_to_coach is defined. If true, call_sid_to_coach must be defined."
  const coaching = booleanParam(form, 'Coaching') ?? callSidToCoach !== undefined;
  if (coaching && !callSidToCoach) throw new RestError(400, 20001, 'CallSidToCoach is required when Coaching is true.');
  const label = formValue(form, 'Label') || undefined;
  const statusCallbackUrl = urlParam(form, 'StatusCallback', 21609);
  const conferenceCallbackUrl = urlParam(form, 'ConferenceStatusCallback', 21609);
  const statusCallbackMethod = methodParam(form, 'StatusCallbackMethod', 'POST');
  const callEvents = eventsParam(form, 'StatusCallbackEvent', CALL_EVENTS, ['completed']);
  const conferenceMethod = methodParam(form, 'ConferenceStatusCallbackMethod', 'POST');
  const conferenceEvents = eventsParam(form, 'ConferenceStatusCallbackEvent', CONFERENCE_EVENTS, ['start', 'end']);
  const maxParticipantsGiven = formValue(form, 'MaxParticipants');
  const timeLimitGiven = formValue(form, 'TimeLimit');
  return {
    from,
    to,
    label,
    timeoutSeconds: integerParam(form, 'Timeout', 60, 5, 600),
    // "Whether to allow an agent to hear the state of the outbound call … defaults to true" (participant.d.ts).
    earlyMedia: booleanParam(form, 'EarlyMedia') ?? true,
    // Twilio's per-call limit: one minute to 24 hours; omitted, the account's (4 h) limit, not enforced here.
    timeLimitSeconds: timeLimitGiven ? integerParam(form, 'TimeLimit', TIME_LIMIT_MAX, TIME_LIMIT_MIN, TIME_LIMIT_MAX) : undefined,
    startConferenceOnEnter: booleanParam(form, 'StartConferenceOnEnter') ?? true,
    endConferenceOnExit: booleanParam(form, 'EndConferenceOnExit') ?? false,
    muted: booleanParam(form, 'Muted') ?? false,
    beep,
    // An empty WaitUrl is Twilio's "play nothing while waiting"; it is passed on as ''.
    waitUrl: urlParam(form, 'WaitUrl', 21205),
    waitMethod: methodParam(form, 'WaitMethod', 'POST'),
    coaching,
    callSidToCoach,
    maxParticipants: maxParticipantsGiven ? integerParam(form, 'MaxParticipants', 250, 2, 250) : undefined,
    statusCallback: conferenceCallbackUrl ? { url: conferenceCallbackUrl, method: conferenceMethod, events: conferenceEvents } : undefined,
    callStatusCallback: statusCallbackUrl ? { url: statusCallbackUrl, method: statusCallbackMethod, events: callEvents } : undefined,
  };
}

/** `client:name` or a phone number (E.164); the sandbox has no SIP or TwiML App endpoints and says so. */
function readTo(value: string | undefined): string {
  if (!value) throw new RestError(400, 21201, "A 'To' phone number is required.");
  if (value.startsWith('client:')) {
    const identity = value.slice('client:'.length);
    if (!identity || identity.length > 256 || /\s/.test(identity)) throw new RestError(400, 21211, `Invalid 'To' Phone Number: ${value}`);
    return value;
  }
  if (/^(sip|app):/i.test(value)) {
    throw new RestError(400, 21211, `The sandbox dials client: identities and phone numbers only, not ${value.split(':')[0]}: addresses.`);
  }
  const number = value.replace(/[\s().-]/g, '');
  if (!/^\+?\d{3,15}$/.test(number)) throw new RestError(400, 21211, `Invalid 'To' Phone Number: ${value}`);
  return number;
}

/** Update parameters; only those given are passed on (absent fields are left as they are). */
function readUpdate(form: URLSearchParams): ParticipantUpdate {
  const holdUrl = urlParam(form, 'HoldUrl', 21205) || undefined;
  const announceUrl = urlParam(form, 'AnnounceUrl', 21205) || undefined;
  const waitUrl = urlParam(form, 'WaitUrl', 21205);
  const update: ParticipantUpdate = {
    hold: booleanParam(form, 'Hold'),
    holdUrl,
    // HoldMethod defaults to GET, AnnounceMethod and WaitMethod to POST (participant.d.ts).
    holdMethod: holdUrl || formValue(form, 'HoldMethod') ? methodParam(form, 'HoldMethod', 'GET') : undefined,
    muted: booleanParam(form, 'Muted'),
    announceUrl,
    announceMethod: announceUrl || formValue(form, 'AnnounceMethod') ? methodParam(form, 'AnnounceMethod', 'POST') : undefined,
    waitUrl,
    waitMethod: waitUrl !== undefined || formValue(form, 'WaitMethod') ? methodParam(form, 'WaitMethod', 'POST') : undefined,
    coaching: booleanParam(form, 'Coaching'),
    callSidToCoach: callSidParam(form, 'CallSidToCoach'),
    endConferenceOnExit: booleanParam(form, 'EndConferenceOnExit'),
    beepOnExit: booleanParam(form, 'BeepOnExit'),
  };
  return Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined)) as ParticipantUpdate;
}

function settle<T>(result: ConferenceResult<T>): T {
  if (isConferenceError(result)) throw portError(result);
  return result;
}

/** The resource as Twilio returns it (fields of twilio's ParticipantResource typing; no api_version there). */
export function participantJson(view: ParticipantView): Record<string, unknown> {
  return {
    account_sid: view.accountSid,
    call_sid: view.callSid,
    label: view.label ?? null,
    call_sid_to_coach: view.callSidToCoach ?? null,
    coaching: view.coaching,
    conference_sid: view.conferenceSid,
    date_created: rfc2822(view.dateCreated),
    date_updated: rfc2822(view.dateUpdated),
    end_conference_on_exit: view.endConferenceOnExit,
    muted: view.muted,
    hold: view.hold,
    start_conference_on_enter: view.startConferenceOnEnter,
    status: view.status,
    queue_time: '0',
    uri: `/2010-04-01/Accounts/${view.accountSid}/Conferences/${view.conferenceSid}/Participants/${view.callSid}.json`,
  };
}
