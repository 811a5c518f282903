/**
 * The seam between the sandbox's conferences (rooms, mixing, `<Dial><Conference>`; implemented in the
 * TwiML engine side) and the REST resources a server drives them with (feature-rest's Conferences and
 * Participants). Names and values follow Twilio's Conference and Participant resources, so the REST layer
 * only maps JSON; see https://www.twilio.com/docs/voice/api/conference-resource and
 * https://www.twilio.com/docs/voice/api/conference-participant-resource.
 */

/** Twilio's conference `status`. */
export type ConferenceStatus = 'init' | 'in-progress' | 'completed';

/** Twilio's participant `status`. */
export type ParticipantStatus = 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';

/** Twilio's `statusCallbackEvent` values for a conference (`StatusCallbackEvent` of each callback). */
export const CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement'] as const;
export type ConferenceEvent = (typeof CONFERENCE_EVENTS)[number];

/** Twilio's `ReasonConferenceEnded`. */
export type ConferenceEndReason =
  | 'conference-ended-via-api'
  | 'participant-with-end-conference-on-exit-left'
  | 'last-participant-left'
  | 'last-participant-kicked'
  | 'participant-updated-via-api';

export interface ConferenceView {
  readonly sid: string;
  readonly accountSid: string;
  readonly friendlyName: string;
  readonly status: ConferenceStatus;
  /** Milliseconds since epoch, from the sandbox clock. */
  readonly dateCreated: number;
  readonly dateUpdated: number;
  readonly reasonConferenceEnded?: ConferenceEndReason;
  readonly callSidEndingConference?: string;
}

export interface ParticipantView {
  readonly callSid: string;
  readonly conferenceSid: string;
  readonly accountSid: string;
  readonly label?: string;
  readonly status: ParticipantStatus;
  readonly hold: boolean;
  readonly muted: boolean;
  readonly coaching: boolean;
  readonly callSidToCoach?: string;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  readonly dateCreated: number;
  readonly dateUpdated: number;
}

export interface ConferenceStatusCallback {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly events: readonly ConferenceEvent[];
}

/** What a participant joins with: `<Conference>`'s attributes, or a Participants create request. */
export interface ConferenceJoinOptions {
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  /** Twilio's `beep`: true, false, 'onEnter' or 'onExit'. */
  readonly beep: boolean | 'onEnter' | 'onExit';
  readonly muted: boolean;
  /** Played while the conference has not started (Twilio's default is its hold music; the sandbox has its own). */
  readonly waitUrl?: string;
  readonly waitMethod?: 'GET' | 'POST';
  readonly label?: string;
  readonly coaching?: boolean;
  readonly callSidToCoach?: string;
  readonly statusCallback?: ConferenceStatusCallback;
  /** Twilio's `maxParticipants` (default 250). */
  readonly maxParticipants?: number;
}

/** A Participants create request: dial `to` and join it to the conference named `conference` (a SID or a friendly name). */
export interface AddParticipantRequest extends ConferenceJoinOptions {
  readonly accountSid: string;
  /** `CF…` SID, or a friendly name (which creates the conference if there is none, as Twilio does). */
  readonly conference: string;
  readonly from: string;
  /** `client:alice`, or an E.164 number. */
  readonly to: string;
  readonly timeoutSeconds: number;
  /**
   * Twilio's `EarlyMedia` (default true): while a phone number rings, the conference's participants hear
   * its ringback. The REST layer fills the default; absent here means false.
   */
  readonly earlyMedia?: boolean;
  /** Twilio's `TimeLimit`: the call is hung up this many seconds after it answered. */
  readonly timeLimitSeconds?: number;
  readonly callStatusCallback?: {
    readonly url: string;
    readonly method: 'GET' | 'POST';
    readonly events: readonly ('initiated' | 'ringing' | 'answered' | 'completed')[];
  };
}

/** A Participants update; absent fields are left as they are. */
export interface ParticipantUpdate {
  readonly hold?: boolean;
  readonly holdUrl?: string;
  readonly holdMethod?: 'GET' | 'POST';
  readonly muted?: boolean;
  readonly coaching?: boolean;
  readonly callSidToCoach?: string;
  readonly announceUrl?: string;
  readonly announceMethod?: 'GET' | 'POST';
  readonly endConferenceOnExit?: boolean;
  /** Twilio's update also takes these (twilio client: participant.js update); optional, so an implementation may ignore them. */
  readonly beepOnExit?: boolean;
  /** `''` is Twilio's "play nothing while waiting". */
  readonly waitUrl?: string;
  readonly waitMethod?: 'GET' | 'POST';
}

/** Why a conference request failed, as Twilio's REST error code (the REST layer maps it to status + JSON). */
export interface ConferenceRequestError {
  readonly error: {
    /** e.g. 20404 not found; 21220 participant not connected / invalid state; 20001 invalid parameter. */
    readonly code: number;
    readonly message: string;
    readonly status: 400 | 404 | 409;
  };
}

export type ConferenceResult<T> = T | ConferenceRequestError;

export function isConferenceError<T>(result: ConferenceResult<T>): result is ConferenceRequestError {
  return typeof result === 'object' && result !== null && 'error' in result;
}

/** What the sandbox's conferences offer its REST layer. One account's view; SIDs of other accounts are not found. */
export interface ConferenceControl {
  list(accountSid: string, filter?: { readonly friendlyName?: string; readonly status?: ConferenceStatus }): readonly ConferenceView[];
  fetch(accountSid: string, conferenceSid: string): ConferenceView | undefined;
  /** `Status=completed`: every participant leaves (hung up), the conference ends with `conference-ended-via-api`. */
  complete(accountSid: string, conferenceSid: string): ConferenceResult<ConferenceView>;
  /** Play `announceUrl` (TwiML or audio) to every participant. */
  announce(accountSid: string, conferenceSid: string, announceUrl: string, method: 'GET' | 'POST'): ConferenceResult<ConferenceView>;
  listParticipants(accountSid: string, conferenceSid: string): ConferenceResult<readonly ParticipantView[]>;
  /** By call SID or by label. */
  fetchParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string): ConferenceResult<ParticipantView>;
  /** Dials the participant; resolves once the call is queued (status `queued`), joins when it answers. */
  addParticipant(request: AddParticipantRequest): Promise<ConferenceResult<ParticipantView>>;
  updateParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string, update: ParticipantUpdate): ConferenceResult<ParticipantView>;
  /** Hangs up the participant's call (Twilio's DELETE). */
  removeParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string): ConferenceResult<true>;
}
