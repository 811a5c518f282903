import type { ConferenceEvent } from '@switchboard/api-data-access-db';
import { formParam, SID_PATTERNS } from '@switchboard/shared-contracts';
import { flag } from './conference-projection';

/**
 * Twilio's conference status callback, as documented for `<Conference statusCallback>`:
 * https://www.twilio.com/docs/voice/twiml/conference#attributes-statusCallback (parameters ConferenceSid,
 * FriendlyName, AccountSid, SequenceNumber, Timestamp, StatusCallbackEvent, CallSid, Muted, Hold,
 * Coaching, EndConferenceOnExit, StartConferenceOnEnter, ParticipantLabel, ReasonConferenceEnded,
 * CallSidEndingConference). The event names were introduced in
 * https://www.twilio.com/en-us/blog/introducing-conference-events-html; ReasonConferenceEnded and
 * CallSidEndingConference in https://twilio.com/en-us/changelog/publishing-reason-conference-ended-and-call-sid-ending-the-confe.
 */
export const CONFERENCE_SID = /^CF[0-9a-f]{32}$/;

export const KNOWN_CONFERENCE_EVENTS: ReadonlySet<string> = new Set([
  'conference-start', 'conference-end', 'participant-join', 'participant-leave', 'participant-mute', 'participant-unmute',
  'participant-hold', 'participant-unhold', 'participant-modify', 'participant-speech-start', 'participant-speech-stop',
  'announcement-end', 'announcement-fail',
]);

const EVENT_NAME = /^[a-z][a-z-]{0,39}$/;
const FLAGS = ['Muted', 'Hold', 'Coaching', 'EndConferenceOnExit', 'StartConferenceOnEnter'] as const;

export type ParsedConferenceCallback =
  | { readonly ok: true; readonly event: ConferenceEvent; readonly deliveryKey: string; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads a signed conference callback. It is refused (`ok: false`, not stored) only when it cannot be
 * placed: no well-formed ConferenceSid, SequenceNumber or event name, or a participant event without a
 * well-formed CallSid. Lesser faults (unknown event, unreadable flag or Timestamp, malformed
 * CallSidEndingConference) are `notes`: the event is stored and the projection ignores the bad value.
 */
export function parseConferenceCallback(params: Readonly<Record<string, string>>, receivedAt: Date): ParsedConferenceCallback {
  const conferenceSid = formParam(params, 'ConferenceSid');
  if (conferenceSid === undefined || !CONFERENCE_SID.test(conferenceSid)) return { ok: false, reason: 'ConferenceSid is not a conference SID (CF + 32 hex digits)' };
  const sequence = formParam(params, 'SequenceNumber');
  if (sequence === undefined || !/^\d{1,9}$/.test(sequence)) return { ok: false, reason: 'SequenceNumber is not a whole number' };
  const event = formParam(params, 'StatusCallbackEvent');
  if (event === undefined || !EVENT_NAME.test(event)) return { ok: false, reason: 'StatusCallbackEvent is not an event name' };
  const callSid = formParam(params, 'CallSid');
  const wellFormedCallSid = callSid !== undefined && SID_PATTERNS.call.test(callSid) ? callSid : null;
  if (event.startsWith('participant-') && wellFormedCallSid === null) return { ok: false, reason: `${event} without a call SID (CA + 32 hex digits)` };

  const notes: string[] = [];
  if (!KNOWN_CONFERENCE_EVENTS.has(event)) notes.push(`unknown event ${event} stored, changes nothing`);
  if (callSid !== undefined && callSid !== '' && wellFormedCallSid === null) notes.push('CallSid is not a call SID; ignored');
  for (const name of FLAGS) {
    const value = params[name];
    if (value !== undefined && flag(value) === undefined) notes.push(`${name} is not true or false; ignored`);
  }
  const ending = params['CallSidEndingConference'];
  if (ending !== undefined && ending !== '' && !SID_PATTERNS.call.test(ending)) notes.push('CallSidEndingConference is not a call SID; ignored');
  const timestamp = params['Timestamp'];
  const parsed = timestamp ? Date.parse(timestamp) : Number.NaN;
  if (timestamp && !Number.isFinite(parsed)) notes.push('Timestamp is unreadable; the receipt time is used');
  return {
    ok: true,
    deliveryKey: `conference:${conferenceSid}:${sequence}`,
    notes,
    event: {
      conferenceSid, sequenceNumber: Number(sequence), event, callSid: wellFormedCallSid,
      at: Number.isFinite(parsed) ? new Date(parsed) : receivedAt, payload: params,
    },
  };
}
