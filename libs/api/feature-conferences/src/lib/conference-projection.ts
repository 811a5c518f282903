import type { ConferenceEvent, ConferenceProjection, ConferenceState, ParticipantState } from '@switchboard/api-data-access-db';
import { clientIdentity, SID_PATTERNS } from '@switchboard/shared-contracts';

/**
 * The label the customer's leg joins with: its call is the one the conference anchors. The TwiML and
 * the Participants requests that put a customer in a conference set `participantLabel` to this.
 */
export const CUSTOMER_PARTICIPANT_LABEL = 'customer';

type MutableParticipant = { -readonly [K in keyof ParticipantState]: ParticipantState[K] };
type MutableConference = { -readonly [K in keyof ConferenceState]: ConferenceState[K] };

/**
 * A conference's record from the set of its callbacks: they are applied in SequenceNumber order (Twilio
 * numbers a conference's events in the order they happened), whatever order they arrived in, so the
 * same set always gives the same record. Rules:
 * - a participant's flags (hold, muted, coaching, endConferenceOnExit) are those of its
 *   highest-numbered event that carries them; mute/unmute and hold/unhold set their own flag;
 * - a leave ends the join before it (a later join, a re-join, starts a new stay);
 * - conference-end is final: the conference stays completed, and whoever had not left leaves then;
 * - events this code does not know (speech, announcements, names Twilio adds later) change nothing.
 */
export function projectConference(events: readonly ConferenceEvent[]): ConferenceProjection {
  const sorted = [...events].sort((a, b) => a.sequenceNumber - b.sequenceNumber);
  const conference: MutableConference = {
    friendlyName: '', anchorCallSid: null, status: 'init', startedAt: null, endedAt: null, reasonEnded: null, callSidEndingConference: null, lastSequence: 0,
  };
  const participants = new Map<string, MutableParticipant>();
  for (const event of sorted) {
    conference.lastSequence = event.sequenceNumber;
    if (conference.friendlyName === '' && event.payload['FriendlyName']) conference.friendlyName = event.payload['FriendlyName'];
    if (event.event === 'conference-start') {
      if (conference.status === 'init') conference.status = 'in-progress';
      conference.startedAt ??= event.at;
    } else if (event.event === 'conference-end') {
      if (conference.status !== 'completed') {
        conference.status = 'completed';
        conference.endedAt = event.at;
        conference.reasonEnded = event.payload['ReasonConferenceEnded'] || null;
        const ending = event.payload['CallSidEndingConference'];
        conference.callSidEndingConference = ending && SID_PATTERNS.call.test(ending) ? ending : null;
      }
    } else if (event.event.startsWith('participant-') && event.callSid !== null) {
      const participant = participants.get(event.callSid) ?? newParticipant(event.callSid);
      participants.set(event.callSid, participant);
      applyParticipantEvent(participant, event, conference);
      if (conference.anchorCallSid === null && participant.label === CUSTOMER_PARTICIPANT_LABEL) conference.anchorCallSid = participant.callSid;
    }
  }
  if (conference.status === 'completed') {
    for (const participant of participants.values()) participant.leftAt ??= conference.endedAt;
  }
  return { conference, participants: [...participants.values()].sort((a, b) => a.callSid.localeCompare(b.callSid)) };
}

function newParticipant(callSid: string): MutableParticipant {
  return {
    callSid, label: null, agentIdentity: null, joinedAt: null, leftAt: null, hold: false, muted: false, coaching: false, endConferenceOnExit: false, lastSequence: 0,
  };
}

function applyParticipantEvent(participant: MutableParticipant, event: ConferenceEvent, conference: MutableConference): void {
  const { payload } = event;
  participant.lastSequence = event.sequenceNumber;
  const label = payload['ParticipantLabel'];
  if (label) participant.label = label;
  // Twilio's conference callbacks carry no From/To today; a softphone leg is named by its label
  // (`client:<identity>`) or, at read time, by its call record. From/To are used when present.
  participant.agentIdentity = clientIdentity(payload['From']) ?? clientIdentity(payload['To']) ?? clientIdentity(label) ?? participant.agentIdentity;
  participant.hold = flag(payload['Hold']) ?? participant.hold;
  participant.muted = flag(payload['Muted']) ?? participant.muted;
  participant.coaching = flag(payload['Coaching']) ?? participant.coaching;
  participant.endConferenceOnExit = flag(payload['EndConferenceOnExit']) ?? participant.endConferenceOnExit;
  switch (event.event) {
    case 'participant-join':
      participant.joinedAt = event.at;
      // After conference-end nobody joins: the record keeps them out.
      participant.leftAt = conference.status === 'completed' ? conference.endedAt : null;
      break;
    case 'participant-leave':
      participant.leftAt = event.at;
      break;
    case 'participant-mute':
    case 'participant-unmute':
      participant.muted = event.event === 'participant-mute';
      break;
    case 'participant-hold':
    case 'participant-unhold':
      participant.hold = event.event === 'participant-hold';
      break;
  }
}

/** Twilio sends `true`/`false`; anything else says nothing. */
export function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}
