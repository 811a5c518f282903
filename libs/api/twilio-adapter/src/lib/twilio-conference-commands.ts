import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import {
  ConferenceCommandError,
  ConferenceCommands,
  type AddParticipantCommand,
  type ConferenceCommandFailure,
  type ConferenceParticipant,
  type ConferenceSummary,
  type EndCallMode,
  type MediaSource,
  type ParticipantRef,
  type WebhookTarget,
} from '@switchboard/api-data-access-telephony';
import type twilio from 'twilio';
import type { ParticipantContextUpdateOptions, ParticipantInstance } from 'twilio/lib/rest/api/v2010/account/conference/participant';
import type { ConferenceInstance } from 'twilio/lib/rest/api/v2010/account/conference';
import { lazyTwilioRestClient } from './twilio-rest';

/** Overrides the per-request deadline of the conference commands (milliseconds). */
export const CONFERENCE_COMMAND_TIMEOUT_MS = Symbol('CONFERENCE_COMMAND_TIMEOUT_MS');
/** An agent is waiting on each command; Twilio answers these in well under a second when healthy. */
const DEFAULT_TIMEOUT_MS = 8_000;

const CONFERENCE_SID = /^CF[0-9a-fA-F]{32}$/;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
/** Friendly names and labels go into a URL path (the twilio client does not encode them): no '/', '?', '#', '%' or spaces. */
const PATH_SAFE_NAME = /^[A-Za-z0-9_.:@+-]{1,128}$/;
const CALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];

/** Failures that only say the other side hung up first (logged at debug by `attempt`). */
const EXPECTED_RACES: ReadonlySet<ConferenceCommandFailure> = new Set<ConferenceCommandFailure>(['call-gone', 'participant-gone', 'conference-gone', 'not-connected']);

/** Where a 20404 came from decides what is gone. */
type Subject = { readonly kind: 'conference' } | { readonly kind: 'participant'; readonly conferenceSid: string } | { readonly kind: 'call' };

/**
 * ConferenceCommands with the twilio client (Conferences, Participants and Calls resources) on
 * TWILIO_API_BASE_URL: Twilio, or the voice sandbox in sandbox mode. Every URL handed over is built by
 * `publicUrl`; every request has a deadline; every failure becomes a ConferenceCommandError.
 */
@Injectable()
export class TwilioConferenceCommands extends ConferenceCommands {
  private readonly logger = new Logger('TwilioConferenceCommands');
  private readonly rest: () => twilio.Twilio;
  private get client(): twilio.Twilio { return this.rest(); }

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(CONFERENCE_COMMAND_TIMEOUT_MS) timeoutMs: number | null = null,
  ) {
    super();
    this.rest = lazyTwilioRestClient(config, timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  async addParticipant(command: AddParticipantCommand): Promise<{ callSid: string; conferenceSid: string }> {
    const target = 'sid' in command.conference ? conferenceSid(command.conference.sid) : pathSafe('conference name', command.conference.friendlyName);
    pathSafe('label', command.label);
    if (command.coachCallSid !== undefined) callSid(command.coachCallSid);
    const wait = command.waitMusic === undefined ? {} : command.waitMusic === 'silence' ? { waitUrl: '' } : this.media('waitUrl', 'waitMethod', command.waitMusic);
    const created = await this.attempt('add participant', { kind: 'conference' }, () => this.client.conferences(target).participants.create({
      to: command.to,
      from: command.from,
      label: command.label,
      timeout: command.timeoutSeconds,
      startConferenceOnEnter: command.startConferenceOnEnter,
      endConferenceOnExit: command.endConferenceOnExit,
      beep: String(command.beep),
      ...(command.muted === undefined ? {} : { muted: command.muted }),
      ...(command.earlyMedia === undefined ? {} : { earlyMedia: command.earlyMedia }),
      ...(command.timeLimitSeconds === undefined ? {} : { timeLimit: command.timeLimitSeconds }),
      ...(command.coachCallSid === undefined ? {} : { coaching: true, callSidToCoach: command.coachCallSid }),
      ...wait,
      statusCallback: this.url(command.callStatusCallback),
      statusCallbackMethod: 'POST',
      statusCallbackEvent: CALL_EVENTS,
      conferenceStatusCallback: this.url(command.conferenceStatusCallback),
      conferenceStatusCallbackMethod: 'POST',
      conferenceStatusCallbackEvent: [...command.conferenceEvents],
    }));
    return { callSid: created.callSid, conferenceSid: created.conferenceSid };
  }

  async setHold(conference: string, participant: ParticipantRef, hold: boolean, holdMusic?: MediaSource): Promise<ConferenceParticipant> {
    return this.updateParticipant(conference, participant, hold ? 'hold' : 'resume', {
      hold,
      ...(hold && holdMusic ? this.media('holdUrl', 'holdMethod', holdMusic) : {}),
    });
  }

  async setMuted(conference: string, participant: ParticipantRef, muted: boolean): Promise<ConferenceParticipant> {
    return this.updateParticipant(conference, participant, muted ? 'mute' : 'unmute', { muted });
  }

  async setCoaching(conference: string, participant: ParticipantRef, callSidToCoach: string | null): Promise<ConferenceParticipant> {
    if (callSidToCoach !== null) callSid(callSidToCoach);
    return this.updateParticipant(conference, participant, 'coach', callSidToCoach === null ? { coaching: false } : { coaching: true, callSidToCoach });
  }

  async setEndConferenceOnExit(conference: string, participant: ParticipantRef, endConferenceOnExit: boolean): Promise<ConferenceParticipant> {
    return this.updateParticipant(conference, participant, 'set endConferenceOnExit', { endConferenceOnExit });
  }

  async removeParticipant(conference: string, participant: ParticipantRef): Promise<void> {
    const sid = conferenceSid(conference);
    const who = participantRef(participant);
    await this.attempt('remove participant', { kind: 'participant', conferenceSid: sid }, () => this.client.conferences(sid).participants(who).remove());
  }

  async completeConference(conference: string): Promise<ConferenceSummary> {
    const sid = conferenceSid(conference);
    return summary(await this.attempt('complete conference', { kind: 'conference' }, () => this.client.conferences(sid).update({ status: 'completed' })));
  }

  async findConferenceByName(friendlyName: string): Promise<ConferenceSummary | null> {
    const name = pathSafe('conference name', friendlyName);
    // Twilio lists live conferences only without Status (since its list split) and every one before it:
    // filter here so both answers give the same result. Newest first, as Twilio lists them.
    const found = await this.attempt('find conference', { kind: 'conference' }, () => this.client.conferences.list({ friendlyName: name, limit: 20 }));
    const live = found.filter((conference) => conference.friendlyName === name && conference.status !== 'completed');
    return live.length ? summary(live[0]) : null;
  }

  async listParticipants(conference: string): Promise<readonly ConferenceParticipant[]> {
    const sid = conferenceSid(conference);
    const found = await this.attempt('list participants', { kind: 'conference' }, () => this.client.conferences(sid).participants.list({ limit: 250 }));
    return found.map(participantOf);
  }

  async redirectCall(call: string, twiml: WebhookTarget): Promise<void> {
    const sid = callSid(call);
    await this.attempt('redirect call', { kind: 'call' }, () => this.client.calls(sid).update({ url: this.url(twiml), method: 'POST' }));
  }

  async endCall(call: string, mode: EndCallMode): Promise<{ status: string }> {
    const sid = callSid(call);
    const status = mode === 'hang-up' ? 'completed' : 'canceled';
    const updated = await this.attempt('end call', { kind: 'call' }, () => this.client.calls(sid).update({ status }));
    return { status: updated.status };
  }

  private async updateParticipant(
    conference: string,
    participant: ParticipantRef,
    what: string,
    update: ParticipantContextUpdateOptions,
  ): Promise<ConferenceParticipant> {
    const sid = conferenceSid(conference);
    const who = participantRef(participant);
    const updated = await this.attempt(what, { kind: 'participant', conferenceSid: sid }, () => this.client.conferences(sid).participants(who).update(update));
    return participantOf(updated);
  }

  private url(target: WebhookTarget): string {
    return publicUrl(this.config, target.path, target.query);
  }

  /** Our webhooks are POSTed (and signed); an absolute URL from configuration is fetched with GET, as audio is. */
  private media<U extends string, M extends string>(urlField: U, methodField: M, source: MediaSource): Record<U | M, string> {
    if ('webhook' in source) return { [urlField]: this.url(source.webhook), [methodField]: 'POST' } as Record<U | M, string>;
    if (!/^https?:\/\/[^\s]+$/.test(source.absoluteUrl)) throw new ConferenceCommandError('rejected', `${urlField} must be an http(s) URL`);
    return { [urlField]: source.absoluteUrl, [methodField]: 'GET' } as Record<U | M, string>;
  }

  /** Runs one REST request and turns any failure into a ConferenceCommandError. */
  private async attempt<T>(what: string, subject: Subject, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const failure = await this.classify(error, subject);
      const line = `REST ${what} failed: ${failure.failure} (${failure.status ?? 'no answer'}${failure.code ? `, ${failure.code}` : ''})`;
      // A call, participant or conference that ended before our request (20404, a completed call's 21220) is a race
      // every hang-up can lose, and the caller handles it: debug, so warn stays for what someone should look at.
      if (EXPECTED_RACES.has(failure.failure)) this.logger.debug(line);
      else this.logger.warn(line);
      throw failure;
    }
  }

  private async classify(error: unknown, subject: Subject): Promise<ConferenceCommandError> {
    const { status, code } = restFailure(error);
    const message = error instanceof Error ? error.message : String(error);
    const make = (failure: ConferenceCommandFailure) => new ConferenceCommandError(failure, message, status, code);
    if (status === null || status === 429 || status >= 500) return make('telephony-unavailable');
    if (code === 21220) return make('not-connected');
    if (status !== 404) return make('rejected');
    if (subject.kind === 'call') return make('call-gone');
    if (subject.kind === 'conference') return make('conference-gone');
    // A 20404 on Participants/{x} does not say whether the conference or the participant is gone: ask.
    return make((await this.conferenceIsLive(subject.conferenceSid)) ? 'participant-gone' : 'conference-gone');
  }

  private async conferenceIsLive(sid: string): Promise<boolean> {
    try {
      return (await this.client.conferences(sid).fetch()).status !== 'completed';
    } catch (error) {
      // Only a 404 says the conference is gone; if the check itself fails, the first answer (about the participant) stands.
      return restFailure(error).status !== 404;
    }
  }
}

/** The twilio client's RestException carries status and code; a network error or timeout carries no status. */
function restFailure(error: unknown): { status: number | null; code: number | null } {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  const isRest = typeof status === 'number' && status >= 100;
  return { status: isRest ? status : null, code: isRest && typeof code === 'number' ? code : null };
}

function summary(conference: ConferenceInstance): ConferenceSummary {
  return { sid: conference.sid, friendlyName: conference.friendlyName, status: conference.status };
}

function participantOf(participant: ParticipantInstance): ConferenceParticipant {
  return {
    callSid: participant.callSid,
    conferenceSid: participant.conferenceSid,
    label: participant.label ?? null,
    status: participant.status,
    hold: participant.hold,
    muted: participant.muted,
    coaching: participant.coaching,
    callSidToCoach: participant.callSidToCoach ?? null,
    startConferenceOnEnter: participant.startConferenceOnEnter,
    endConferenceOnExit: participant.endConferenceOnExit,
  };
}

function conferenceSid(value: string): string {
  if (!CONFERENCE_SID.test(value)) throw new ConferenceCommandError('rejected', 'Not a conference SID (CF + 32 hex)');
  return value;
}

function callSid(value: string): string {
  if (!CALL_SID.test(value)) throw new ConferenceCommandError('rejected', 'Not a call SID (CA + 32 hex)');
  return value;
}

function participantRef(value: ParticipantRef): string {
  return CALL_SID.test(value) ? value : pathSafe('participant label', value);
}

function pathSafe(what: string, value: string): string {
  if (!PATH_SAFE_NAME.test(value)) throw new ConferenceCommandError('rejected', `The ${what} must be 1-128 of A-Z a-z 0-9 _ . : @ + -`);
  return value;
}
