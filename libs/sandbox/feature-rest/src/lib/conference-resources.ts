import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  isConferenceError,
  type ConferenceControl,
  type ConferenceResult,
  type ConferenceStatus,
  type ConferenceView,
} from '@switchboard/sandbox-model';
import { API_VERSION, rfc2822, type SandboxLogger } from '@switchboard/sandbox-twiml-engine';
import { methodParam, notFound, portError, urlParam } from './conference-params';
import { authenticate, type SandboxRestConfig } from './rest-config';
import { RestError, sendError, sendJson } from './rest-errors';
import { formValue, readRestForm } from './rest-form';
import { listPage } from './rest-paging';
import { createParticipantResources } from './participant-resources';

export interface ConferenceResourcesOptions {
  readonly config: SandboxRestConfig;
  /** The sandbox's conferences; without them every Conferences path answers 20404, as for an unknown resource. */
  readonly control?: ConferenceControl;
  readonly log: SandboxLogger;
}

/** Every path this module answers (so nothing under Conferences falls through to another handler). */
const CONFERENCES_PREFIX = /^\/2010-04-01\/Accounts\/([^/]+)\/Conferences(?:[/.]|$)/;
const CONFERENCE_PATH =
  /^\/2010-04-01\/Accounts\/[^/]+\/Conferences(?:\/([^/]+?)(?:\/(Participants)(?:\/([^/]+?))?)?)?\.json$/;
const STATUSES: readonly ConferenceStatus[] = ['init', 'in-progress', 'completed'];

/**
 * Twilio's Conference resource (https://www.twilio.com/docs/voice/api/conference-resource), under
 * /2010-04-01/Accounts/{AccountSid}/:
 * - `GET Conferences.json`: list, filters FriendlyName, Status, DateCreated(<,>), DateUpdated(<,>);
 *   without Status only live conferences (init, in-progress), as Twilio answers since its list split
 *   (https://www.twilio.com/en-us/changelog/conference-list-endpoint-rollout-extended: completed
 *   conferences need Status=completed);
 * - `GET Conferences/{Sid}.json`; `POST Conferences/{Sid}.json` with Status=completed and/or
 *   AnnounceUrl/AnnounceMethod;
 * - the Participants subresource (participant-resources.ts).
 * Another account's conference is 20404. Resolves `false` for other paths; never throws.
 */
export function createConferenceResources(options: ConferenceResourcesOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const participants = options.control ? createParticipantResources(options.control) : undefined;

  return async (req, res) => {
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?', 2);
    const prefix = CONFERENCES_PREFIX.exec(rawPath);
    if (!prefix) return false;
    try {
      const { accountSid } = authenticate(req, options.config, safeDecode(prefix[1]) ?? '');
      const match = CONFERENCE_PATH.exec(rawPath);
      const control = options.control;
      if (!match || !control || !participants) throw notFound(rawPath);
      const [, sidPart, subresource, participantPart] = match;
      const query = new URLSearchParams(rawQuery);
      const conference = sidPart === undefined ? undefined : safeDecode(sidPart);
      const participant = participantPart === undefined ? undefined : safeDecode(participantPart);
      if (conference === null || participant === null) throw notFound(rawPath);
      if (subresource) {
        await participants({ req, res, accountSid, conference: conference ?? '', participant, path: rawPath, query });
      } else if (conference === undefined) {
        if (req.method !== 'GET') throw new RestError(405, 20004, 'Method not allowed');
        listConferences(res, control, accountSid, rawPath, query);
      } else if (req.method === 'GET') {
        sendJson(res, 200, conferenceJson(control.fetch(accountSid, conference) ?? missing(rawPath)));
      } else if (req.method === 'POST') {
        await updateConference(req, res, control, accountSid, conference, rawPath);
      } else {
        throw new RestError(405, 20004, 'Method not allowed');
      }
    } catch (error) {
      if (error instanceof RestError) sendError(res, error);
      else {
        options.log.error('conference resource failed', { path: rawPath, error: String(error) });
        sendError(res, new RestError(500, 20500, 'Internal Server Error'));
      }
    }
    return true;
  };
}

function listConferences(res: ServerResponse, control: ConferenceControl, accountSid: string, path: string, query: URLSearchParams): void {
  const friendlyName = query.get('FriendlyName') ?? undefined;
  const statusText = query.get('Status') || undefined;
  const status = statusText === undefined ? undefined : STATUSES.find((candidate) => candidate === statusText);
  if (statusText !== undefined && !status) throw new RestError(400, 20001, `Status must be one of ${STATUSES.join(', ')}, not "${statusText}".`);
  const created = dateFilter(query, 'DateCreated');
  const updated = dateFilter(query, 'DateUpdated');
  const found = control
    .list(accountSid, { friendlyName, status })
    // The port filters too; checking here keeps the answer right whatever the port's filter does.
    .filter((conference) => conference.accountSid === accountSid)
    .filter((conference) => friendlyName === undefined || conference.friendlyName === friendlyName)
    .filter((conference) => (status === undefined ? conference.status !== 'completed' : conference.status === status))
    .filter((conference) => created(conference.dateCreated) && updated(conference.dateUpdated))
    // Newest first, as Twilio lists 2010-04-01 resources.
    .sort((a, b) => b.dateCreated - a.dateCreated || a.sid.localeCompare(b.sid));
  sendJson(res, 200, listPage(query, path, 'conferences', found, (conference) => conference.sid, conferenceJson));
}

async function updateConference(
  req: IncomingMessage,
  res: ServerResponse,
  control: ConferenceControl,
  accountSid: string,
  sid: string,
  path: string,
): Promise<void> {
  const form = await readRestForm(req);
  const status = formValue(form, 'Status');
  if (status !== undefined && status !== 'completed') {
    throw new RestError(400, 20001, `Status can only be updated to completed, not "${status}".`);
  }
  const announceUrl = urlParam(form, 'AnnounceUrl', 21205);
  const announceMethod = methodParam(form, 'AnnounceMethod', 'POST');
  let view = control.fetch(accountSid, sid) ?? missing(path);
  if (announceUrl) view = settle(control.announce(accountSid, sid, announceUrl, announceMethod));
  if (status === 'completed') view = settle(control.complete(accountSid, sid));
  sendJson(res, 200, conferenceJson(view));
}

function settle(result: ConferenceResult<ConferenceView>): ConferenceView {
  if (isConferenceError(result)) throw portError(result);
  return result;
}

/** `DateCreated=YYYY-MM-DD` (that UTC day), `DateCreated<` (on or before it), `DateCreated>` (on or after it). */
function dateFilter(query: URLSearchParams, name: string): (at: number) => boolean {
  const bounds = (['', '<', '>'] as const).map((suffix) => {
    const text = query.get(`${name}${suffix}`);
    if (text === null || text === '') return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
      throw new RestError(400, 20001, `${name}${suffix} must be a date as YYYY-MM-DD, not "${text}".`);
    }
    return text;
  });
  const [on, onOrBefore, onOrAfter] = bounds;
  return (at) => {
    const day = new Date(at).toISOString().slice(0, 10);
    return (on === undefined || day === on) && (onOrBefore === undefined || day <= onOrBefore) && (onOrAfter === undefined || day >= onOrAfter);
  };
}

/** The resource as Twilio returns it (fields of twilio's ConferenceResource typing). */
export function conferenceJson(view: ConferenceView): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${view.accountSid}/Conferences/${view.sid}`;
  return {
    account_sid: view.accountSid,
    api_version: API_VERSION,
    call_sid_ending_conference: view.callSidEndingConference ?? null,
    date_created: rfc2822(view.dateCreated),
    date_updated: rfc2822(view.dateUpdated),
    friendly_name: view.friendlyName,
    reason_conference_ended: view.reasonConferenceEnded ?? null,
    // Twilio mixes basic conferences in us1; the sandbox mixes locally but answers the same.
    region: 'us1',
    sid: view.sid,
    status: view.status,
    subresource_uris: { participants: `${base}/Participants.json`, recordings: `${base}/Recordings.json` },
    uri: `${base}.json`,
  };
}

function missing(path: string): never {
  throw notFound(path);
}

/** A path segment decoded (the client sends a friendly name as it is; a browser would percent-encode it); null when malformed. */
function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
