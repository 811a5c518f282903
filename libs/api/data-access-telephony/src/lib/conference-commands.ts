import { TelephonyError } from './ports';

/**
 * One of the API's own webhooks, as a route and query. The adapter makes it absolute on PUBLIC_BASE_URL
 * with `publicUrl` (api-data-access-config), which percent-encodes every query value, so the URL handed
 * to Twilio is byte-for-byte the one it signs (reliability W4). Callers never build these URLs themselves.
 */
export interface WebhookTarget {
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
}

/**
 * What a waiting or held participant hears: one of our TwiML webhooks (requested with POST, signed), or an
 * absolute http(s) URL from configuration (an audio file or TwiML elsewhere, requested with GET).
 */
export type MediaSource = { readonly webhook: WebhookTarget } | { readonly absoluteUrl: string };

/** Twilio's conference status callback events (`ConferenceStatusCallbackEvent`). */
export type ConferenceEventName = 'start' | 'end' | 'join' | 'leave' | 'mute' | 'hold' | 'modify' | 'speaker' | 'announcement';

/**
 * The conference to join. A friendly name creates the conference when none of that name is live (Twilio's
 * rule); names are chosen by the API and limited to `[A-Za-z0-9_.:@+-]{1,128}`, as they go into a URL path.
 */
export type ConferenceTarget = { readonly friendlyName: string } | { readonly sid: string };

export interface AddParticipantCommand {
  readonly conference: ConferenceTarget;
  /** `client:alice` or an E.164 number. */
  readonly to: string;
  /** Caller ID: an E.164 number of the account (or `client:…` when calling a client). */
  readonly from: string;
  /** Unique in the conference; every later command may address the participant by it. */
  readonly label: string;
  /** How long to ring before giving up (Twilio: 5–600 s). */
  readonly timeoutSeconds: number;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  readonly beep: boolean | 'onEnter' | 'onExit';
  readonly muted?: boolean;
  /** Until the conference starts. Omitted: the provider's default music; 'silence': nothing. */
  readonly waitMusic?: MediaSource | 'silence';
  /** Pass the callee's ringing/early media to the conference (Twilio's EarlyMedia). */
  readonly earlyMedia?: boolean;
  /**
   * The new call's maximum duration in seconds (Twilio's TimeLimit; the provider hangs it up then), counted
   * from answer. Omitted: the account's default (4 h on Twilio). Caps an outbound phone call however long it
   * stays in the conference, across transfers and rescues.
   */
  readonly timeLimitSeconds?: number;
  /** Call status of the new leg: initiated, ringing, answered, completed (our status webhook). */
  readonly callStatusCallback: WebhookTarget;
  /** Conference status callbacks (our conference-status webhook) and which events to send. */
  readonly conferenceStatusCallback: WebhookTarget;
  readonly conferenceEvents: readonly ConferenceEventName[];
  /** Join as a coach of this call: heard by it only (a supervisor whispering to an agent). */
  readonly coachCallSid?: string;
}

export type ParticipantStatus = 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';

/** A participant as the provider reports it (`Participants/{CallSid}`). */
export interface ConferenceParticipant {
  readonly callSid: string;
  readonly conferenceSid: string;
  readonly label: string | null;
  readonly status: ParticipantStatus;
  readonly hold: boolean;
  readonly muted: boolean;
  readonly coaching: boolean;
  readonly callSidToCoach: string | null;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
}

export interface ConferenceSummary {
  readonly sid: string;
  readonly friendlyName: string;
  readonly status: 'init' | 'in-progress' | 'completed';
}

/** A call SID (`CA…`) or the participant's label. */
export type ParticipantRef = string;

/**
 * How to end a call: `hang-up` ends it whatever its state (Status=completed); `cancel-if-not-answered`
 * ends it only while it is queued or ringing (Status=canceled), so a transfer target who answered in the
 * meantime is not cut off.
 */
export type EndCallMode = 'hang-up' | 'cancel-if-not-answered';

/**
 * The conference commands the API gives Twilio's REST API (Conferences, Participants, Calls): how agents
 * hold, transfer, consult and rejoin a customer anchored in a named conference. Every method rejects with
 * ConferenceCommandError only, and every request has a deadline.
 *
 * Not idempotent: after `telephony-unavailable` from addParticipant the provider may have dialled anyway;
 * look for the label with listParticipants before dialling again.
 */
export abstract class ConferenceCommands {
  /** Dials `to` into the conference; resolves once the provider queued the call (it has not answered yet). */
  abstract addParticipant(command: AddParticipantCommand): Promise<{ readonly callSid: string; readonly conferenceSid: string }>;
  /** Hold (the participant hears `holdMusic`, or the provider's default, and is not heard) or resume. */
  abstract setHold(conferenceSid: string, participant: ParticipantRef, hold: boolean, holdMusic?: MediaSource): Promise<ConferenceParticipant>;
  abstract setMuted(conferenceSid: string, participant: ParticipantRef, muted: boolean): Promise<ConferenceParticipant>;
  /** `callSidToCoach`: the participant is heard by that call only; null: heard by everyone again. */
  abstract setCoaching(conferenceSid: string, participant: ParticipantRef, callSidToCoach: string | null): Promise<ConferenceParticipant>;
  abstract setEndConferenceOnExit(conferenceSid: string, participant: ParticipantRef, endConferenceOnExit: boolean): Promise<ConferenceParticipant>;
  /** Takes the participant out of the conference; the provider hangs up its call. */
  abstract removeParticipant(conferenceSid: string, participant: ParticipantRef): Promise<void>;
  /** Ends the conference: every participant is hung up. */
  abstract completeConference(conferenceSid: string): Promise<ConferenceSummary>;
  /** The live (init or in-progress) conference of that name, the newest if several; null when none. */
  abstract findConferenceByName(friendlyName: string): Promise<ConferenceSummary | null>;
  /** Everyone in the conference (ringing ones included), in the order they were added. */
  abstract listParticipants(conferenceSid: string): Promise<readonly ConferenceParticipant[]>;
  /** Moves an answered call to other TwiML (our webhook, POSTed): a customer leg to voicemail, say. */
  abstract redirectCall(callSid: string, twiml: WebhookTarget): Promise<void>;
  /** Resolves with the call's status after the request (e.g. `completed`, `canceled`, `in-progress`). */
  abstract endCall(callSid: string, mode: EndCallMode): Promise<{ readonly status: string }>;
}

/**
 * Why a conference command failed, in words a caller can turn into an answer for the agent:
 * - `conference-gone`: no such conference, or it has ended (20404);
 * - `participant-gone`: the conference is live but that participant is not in it (20404);
 * - `call-gone`: no such call (20404 on Calls);
 * - `not-connected`: the participant or call is not in a state for this (21220: still ringing, or ended);
 * - `rejected`: the provider refused the request as made (another 4xx: bad number, bad parameter, auth),
 *   or it was malformed before any request was sent;
 * - `telephony-unavailable`: no answer, a timeout, 429 or 5xx; the only retryable one.
 */
export type ConferenceCommandFailure = 'conference-gone' | 'participant-gone' | 'call-gone' | 'not-connected' | 'rejected' | 'telephony-unavailable';

export class ConferenceCommandError extends TelephonyError {
  /** True when the same command may succeed if tried again later (see the note on addParticipant). */
  readonly retryable: boolean;

  constructor(
    readonly failure: ConferenceCommandFailure,
    message: string,
    status: number | null = null,
    /** The provider's error code (20404, 21220, …) when it answered with one. */
    readonly code: number | null = null,
  ) {
    super(message, status);
    this.name = 'ConferenceCommandError';
    this.retryable = failure === 'telephony-unavailable';
  }
}
