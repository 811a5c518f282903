import { CONFERENCE_EVENTS, ConferenceEvent, ConferenceStatusCallback } from '@switchboard/sandbox-model';
import type { Element, ParseContext } from './twiml-parser';
import { ConferenceNoun } from './twiml-verbs';

/**
 * `<Conference>`'s attributes as Twilio documents them
 * (https://www.twilio.com/docs/voice/twiml/conference#attributes). Invalid values are 12200, like
 * every other verb's; unknown attributes are a logged warning.
 */
const CONFERENCE_ATTRIBUTES = [
  'muted', 'beep', 'startConferenceOnEnter', 'endConferenceOnExit', 'waitUrl', 'waitMethod', 'maxParticipants',
  'record', 'region', 'coach', 'trim', 'statusCallbackEvent', 'statusCallback', 'statusCallbackMethod',
  'recordingStatusCallback', 'recordingStatusCallbackMethod', 'recordingStatusCallbackEvent', 'eventCallbackUrl',
  'jitterBufferSize', 'participantLabel', 'callSidToCoach',
];

/** Twilio caps a conference at 250 participants (`maxParticipants` 2-250). */
export const MAX_CONFERENCE_PARTICIPANTS = 250;

export function parseConference(element: Element, context: ParseContext): ConferenceNoun {
  context.checkAttributes(element, CONFERENCE_ATTRIBUTES);
  context.noChildren(element);
  for (const ignored of ['record', 'region', 'trim', 'jitterBufferSize', 'eventCallbackUrl']) {
    if (element.attributes[ignored] !== undefined) context.warnings.push(`<Conference ${ignored}> is not supported by the sandbox (ignored)`);
  }
  const name = element.text.trim();
  if (!name) context.schema('<Conference> needs a conference name as its text');
  if (name.length > 128) context.schema('<Conference> name must be at most 128 characters');
  const rawWait = element.attributes['waitUrl'];
  // waitUrl="" is Twilio's way to ask for silence; absent means its (here: the sandbox's) hold music.
  const waitUrl = rawWait === undefined ? undefined : rawWait.trim() === '' ? '' : context.url(element, 'waitUrl', rawWait);
  const coach = (element.attributes['coach'] ?? element.attributes['callSidToCoach'])?.trim();
  if (coach !== undefined && !/^CA[0-9a-fA-F]{32}$/.test(coach)) context.schema(`<Conference coach="${coach}"> must be a call SID (CA…)`);
  const label = element.attributes['participantLabel'];
  if (label !== undefined && (label.trim() === '' || label.length > 128)) {
    context.schema('<Conference participantLabel> must be 1-128 characters');
  }
  return {
    name,
    startConferenceOnEnter: context.boolean(element, 'startConferenceOnEnter', true),
    endConferenceOnExit: context.boolean(element, 'endConferenceOnExit', false),
    beep: parseBeep(element, context),
    muted: context.boolean(element, 'muted', false),
    waitUrl,
    waitMethod: context.method(element, 'waitMethod'),
    statusCallback: conferenceStatusCallback(element, context),
    participantLabel: label,
    coach,
    maxParticipants: context.integer(element, 'maxParticipants', MAX_CONFERENCE_PARTICIPANTS, 2, MAX_CONFERENCE_PARTICIPANTS),
  };
}

function parseBeep(element: Element, context: ParseContext): ConferenceNoun['beep'] {
  const value = element.attributes['beep'];
  if (value === undefined) return true;
  const trimmed = value.trim();
  if (trimmed === 'onEnter' || trimmed === 'onExit') return trimmed;
  if (trimmed.toLowerCase() === 'true') return true;
  if (trimmed.toLowerCase() === 'false') return false;
  return context.schema(`<Conference beep="${value}"> must be true, false, onEnter or onExit`);
}

/** `statusCallbackEvent` is space-separated; without it Twilio sends only `start` and `end`. */
function conferenceStatusCallback(element: Element, context: ParseContext): ConferenceStatusCallback | undefined {
  const url = context.url(element, 'statusCallback', element.attributes['statusCallback']);
  const rawEvents = element.attributes['statusCallbackEvent'];
  if (!url) {
    if (rawEvents !== undefined) context.warnings.push('<Conference statusCallbackEvent> without statusCallback (ignored)');
    return undefined;
  }
  const requested = (rawEvents ?? 'start end').split(/[\s,]+/).filter(Boolean);
  const events = requested.map((event): ConferenceEvent => {
    const known = CONFERENCE_EVENTS.find((candidate) => candidate === event);
    return known ?? context.schema(`<Conference statusCallbackEvent> has unknown event "${event}"`);
  });
  return { url, method: context.method(element, 'statusCallbackMethod'), events: [...new Set(events)] };
}
