import { randomBytes } from 'node:crypto';
import {
  AddParticipantRequest,
  CallLegControl,
  ConferenceControl,
  ConferenceJoinOptions,
  ConferenceRequestError,
  ConferenceResult,
  ConferenceStatus,
  ConferenceView,
  LegEndpoint,
  LegStatusEvent,
  ParticipantUpdate,
  ParticipantView,
  TelephonyCore,
} from '@switchboard/sandbox-model';
import { LiveCallRegistry } from '../engine/live-calls';
import { runTwiml } from '../engine/run-twiml';
import { RecordingStore } from '../ports';
import { ConferenceNoun, HttpMethod } from '../twiml/twiml-verbs';
import { ConferenceRoom, RoomDeps } from './conference-room';
import { LegAudioLevels } from './leg-meter';
import { Participant } from './participant';

export interface ConferenceRoomsDeps extends RoomDeps {
  /** Dials REST-added participants (`originate`) and reports their ringing and failure. */
  readonly core: TelephonyCore;
  /**
   * With these (the engine's own), a REST-added participant's answered call can be redirected by the Calls
   * resource like any live call: it leaves the conference and runs the new TwiML. Without them it cannot.
   */
  readonly liveCalls?: LiveCallRegistry;
  readonly recordings?: RecordingStore;
  readonly publicOrigin?: string;
}

/** Completed conferences kept for list/fetch (Twilio keeps them for good; the sandbox keeps the latest). */
const KEEP_COMPLETED = 200;
const DEFAULT_MAX_PARTICIPANTS = 250;

function newConferenceSid(): string {
  return `CF${randomBytes(16).toString('hex')}`;
}

function failure(code: number, status: 400 | 404 | 409, message: string): ConferenceRequestError {
  return { error: { code, status, message } };
}

const notFound = (what: string): ConferenceRequestError => failure(20404, 404, `The requested resource ${what} was not found`);

/**
 * The sandbox's conferences, per account and named by friendly name: `<Dial><Conference>` joins
 * through `joinFromTwiml`, the REST layer drives them through ConferenceControl. Twilio's error
 * codes: 20404 unknown conference/participant (or another account's), 21220 not in a state that
 * allows the request, 21217 an invalid `To`, 20001 another invalid parameter.
 */
export class ConferenceRooms implements ConferenceControl {
  private readonly rooms = new Map<string, ConferenceRoom>();
  /** REST-added participants whose call has not answered yet: CallSid → room. */
  private readonly pending = new Map<string, ConferenceRoom>();
  /** Pending participants whose ringing the room hears (EarlyMedia to a phone number). */
  private readonly earlyMedia = new Set<string>();
  /**
   * A phone number rings at once, so its `ringing` can come before originate has handed back its SID:
   * kept while any originate is in flight, then looked up by it.
   */
  private readonly ringingBeforeKnown = new Set<string>();
  private originating = 0;

  constructor(private readonly deps: ConferenceRoomsDeps) {
    deps.core.onLegStatus((event) => this.onLegStatus(event));
  }

  /** `<Dial><Conference>`: joins the named conference and resolves once `leg` has left it. */
  async joinFromTwiml(leg: CallLegControl, noun: ConferenceNoun, stop?: AbortSignal): Promise<{ conferenceSid: string }> {
    const room = this.roomNamed(leg.accountSid, noun.name, noun.maxParticipants);
    const options: ConferenceJoinOptions = {
      startConferenceOnEnter: noun.startConferenceOnEnter,
      endConferenceOnExit: noun.endConferenceOnExit,
      beep: noun.beep,
      muted: noun.muted,
      waitUrl: noun.waitUrl,
      waitMethod: noun.waitMethod,
      label: noun.participantLabel,
      coaching: noun.coach !== undefined,
      callSidToCoach: noun.coach,
      statusCallback: noun.statusCallback,
      maxParticipants: noun.maxParticipants,
    };
    await room.join(leg, options, stop);
    return { conferenceSid: room.sid };
  }

  list(accountSid: string, filter?: { readonly friendlyName?: string; readonly status?: ConferenceStatus }): readonly ConferenceView[] {
    return [...this.rooms.values()]
      .filter((room) => room.accountSid === accountSid)
      .filter((room) => filter?.friendlyName === undefined || room.friendlyName === filter.friendlyName)
      .filter((room) => filter?.status === undefined || room.status === filter.status)
      .map((room) => room.view())
      .reverse();
  }

  fetch(accountSid: string, conferenceSid: string): ConferenceView | undefined {
    return this.room(accountSid, conferenceSid)?.view();
  }

  complete(accountSid: string, conferenceSid: string): ConferenceResult<ConferenceView> {
    const room = this.room(accountSid, conferenceSid);
    if (!room) return notFound(`Conference ${conferenceSid}`);
    for (const participant of room.participants.values()) if (!participant.connected) this.deps.core.endCall?.(participant.callSid, 'canceled');
    room.end('conference-ended-via-api', undefined, true);
    return room.view();
  }

  announce(accountSid: string, conferenceSid: string, announceUrl: string, method: 'GET' | 'POST'): ConferenceResult<ConferenceView> {
    const room = this.room(accountSid, conferenceSid);
    if (!room) return notFound(`Conference ${conferenceSid}`);
    if (room.status === 'completed') return failure(21220, 400, 'The conference has ended: nothing can be announced');
    if (!isUrl(announceUrl)) return failure(20001, 400, `AnnounceUrl "${announceUrl}" is not a valid URL`);
    room.announce(announceUrl, method);
    return room.view();
  }

  listParticipants(accountSid: string, conferenceSid: string): ConferenceResult<readonly ParticipantView[]> {
    const room = this.room(accountSid, conferenceSid);
    if (!room) return notFound(`Conference ${conferenceSid}`);
    return [...room.participants.values()].map((participant) => participant.view(room.sid, room.accountSid));
  }

  fetchParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string): ConferenceResult<ParticipantView> {
    const found = this.participant(accountSid, conferenceSid, callSidOrLabel);
    return 'error' in found ? found : found.participant.view(found.room.sid, found.room.accountSid);
  }

  async addParticipant(request: AddParticipantRequest): Promise<ConferenceResult<ParticipantView>> {
    const to = endpointFor(request.to);
    if (!to) return failure(21217, 400, `To "${request.to}" is not a valid phone number or client:identity`);
    if (!request.from.trim()) return failure(20001, 400, 'From is required');
    const existing = /^CF[0-9a-f]{32}$/i.test(request.conference) ? this.room(request.accountSid, request.conference) : undefined;
    if (/^CF[0-9a-f]{32}$/i.test(request.conference) && (!existing || existing.status === 'completed')) {
      return notFound(`Conference ${request.conference}`);
    }
    // Validate against the conference as it is before creating one, so a refused request leaves no empty room behind.
    const current = existing ?? this.liveRoomNamed(request.accountSid, request.conference);
    const participants = [...(current?.participants.values() ?? [])];
    if (request.label !== undefined && participants.some((p) => p.label === request.label)) {
      return failure(20001, 400, `A participant labelled "${request.label}" is already in the conference`);
    }
    if (request.coaching && !participants.some((p) => p.callSid === request.callSidToCoach && p.connected)) {
      return failure(20001, 400, 'CallSidToCoach must be a connected participant of this conference when Coaching is true');
    }
    const room = current ?? this.roomNamed(request.accountSid, request.conference, request.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS);
    let callSid: string;
    this.originating++;
    try {
      ({ callSid } = await this.deps.core.originate({
        accountSid: request.accountSid,
        from: request.from,
        to,
        timeoutSeconds: request.timeoutSeconds,
        statusCallback: request.callStatusCallback,
        onAnswered: (leg) => {
          this.pending.delete(leg.callSid);
          this.earlyMedia.delete(leg.callSid);
          this.joinAddedCall(room, leg, request);
        },
      }));
    } catch (error) {
      this.deps.log.error('addParticipant: the call could not be placed', { conference: room.sid, to: request.to, error: String(error) });
      if (room.participants.size === 0 && room.status === 'init') room.end('last-participant-left');
      return failure(21220, 400, `The call to ${request.to} could not be placed`);
    } finally {
      this.originating--;
    }
    const rangAlready = this.ringingBeforeKnown.delete(callSid);
    if (this.originating === 0) this.ringingBeforeKnown.clear();
    const participant = room.participants.get(callSid) ?? room.addPending(callSid, request);
    if (!participant.connected) {
      this.pending.set(callSid, room);
      // A client has no network ringback to pass on (the SDK plays its own); a phone number's ringing does.
      if (request.earlyMedia && to.kind === 'number') this.earlyMedia.add(callSid);
      if (rangAlready) this.onLegStatus({ callSid, status: 'ringing', at: this.deps.clock.now() });
    }
    return participant.view(room.sid, room.accountSid);
  }

  updateParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string, update: ParticipantUpdate): ConferenceResult<ParticipantView> {
    const found = this.participant(accountSid, conferenceSid, callSidOrLabel);
    if ('error' in found) return found;
    const { room, participant } = found;
    if (!participant.connected) return failure(21220, 400, `Participant ${participant.callSid} is not connected to the conference yet`);
    for (const [name, url] of [['HoldUrl', update.holdUrl], ['AnnounceUrl', update.announceUrl]] as const) {
      if (url !== undefined && url !== '' && !isUrl(url)) return failure(20001, 400, `${name} "${url}" is not a valid URL`);
    }
    const coaching = update.coaching ?? participant.coaching;
    const coached = update.callSidToCoach ?? participant.callSidToCoach;
    if (coaching && (!coached || coached === participant.callSid || !room.participants.get(coached)?.connected)) {
      return failure(20001, 400, 'CallSidToCoach must be another connected participant of this conference when Coaching is true');
    }
    room.update(participant, update);
    return participant.view(room.sid, room.accountSid);
  }

  removeParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string): ConferenceResult<true> {
    const found = this.participant(accountSid, conferenceSid, callSidOrLabel);
    if ('error' in found) return found;
    const { room, participant } = found;
    if (!participant.connected) {
      this.pending.delete(participant.callSid);
      this.earlyMedia.delete(participant.callSid);
      this.deps.core.endCall?.(participant.callSid, 'canceled');
      room.dropPending(participant.callSid);
      return true;
    }
    participant.kicked = true;
    const leg = participant.leg;
    room.leave(participant.callSid);
    leg?.hangup();
    return true;
  }

  /**
   * A participant the API added has no TwiML: once it leaves the conference, its call ends. Unless the
   * Calls resource redirected it (Twilio redirects any in-progress call, whatever created it): then it
   * leaves the conference (participant-leave) and runs the new TwiML, as an answered call.
   */
  private joinAddedCall(room: ConferenceRoom, leg: CallLegControl, request: AddParticipantRequest): void {
    const { liveCalls, recordings, publicOrigin } = this.deps;
    const redirect = new AbortController();
    let next: { url: string; method: HttpMethod } | undefined;
    // TimeLimit belongs to the call, not the participant: it still holds after a redirect out of the conference.
    if (request.timeLimitSeconds !== undefined) {
      void this.deps.clock.sleep(request.timeLimitSeconds * 1000, leg.ended).then(() => {
        if (leg.ended.aborted) return;
        this.deps.log.info('participant call reached its TimeLimit', { conferenceSid: room.sid, callSid: leg.callSid, seconds: request.timeLimitSeconds });
        leg.hangup();
      });
    }
    const unregister = liveCalls && recordings && publicOrigin !== undefined
      ? liveCalls.add({
        callSid: leg.callSid,
        accountSid: leg.accountSid,
        redirect: (url, method) => {
          next = { url, method };
          redirect.abort();
        },
        hangup: () => leg.hangup(),
      })
      : undefined;
    void room.join(leg, request, redirect.signal).then(() => {
      unregister?.();
      if (!next || leg.ended.aborted || !liveCalls || !recordings || publicOrigin === undefined) return leg.hangup();
      this.deps.log.info('participant call redirected out of its conference', { conferenceSid: room.sid, callSid: leg.callSid, url: next.url });
      void runTwiml(leg, { ...next, answered: true }, { ...this.deps, liveCalls, recordings, publicOrigin, conferences: this });
    });
  }

  /**
   * A test hook, not Twilio: what the connected participant `callSid` was sent over the last `windowMs`
   * (overall and by source), in whichever live conference it is; undefined when it is in none.
   */
  legAudio(callSid: string, windowMs?: number): (LegAudioLevels & { conferenceSid: string; friendlyName: string }) | undefined {
    for (const room of this.rooms.values()) {
      const participant = room.participants.get(callSid);
      if (room.status !== 'completed' && participant?.connected) {
        return { conferenceSid: room.sid, friendlyName: room.friendlyName, ...participant.heard.read(this.deps.clock.now(), windowMs) };
      }
    }
    return undefined;
  }

  /** Every conference's callbacks sent so far have been answered (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => room.callbacks.idle()));
  }

  private onLegStatus(event: LegStatusEvent): void {
    const room = this.pending.get(event.callSid);
    if (!room) {
      if (this.originating > 0 && event.status === 'ringing') this.ringingBeforeKnown.add(event.callSid);
      return;
    }
    if (event.status === 'ringing') {
      room.setPendingStatus(event.callSid, 'ringing');
      if (this.earlyMedia.has(event.callSid)) room.startRingback(event.callSid);
    } else if (['busy', 'failed', 'no-answer', 'canceled', 'completed'].includes(event.status)) {
      this.pending.delete(event.callSid);
      this.earlyMedia.delete(event.callSid);
      room.dropPending(event.callSid);
    }
  }

  private room(accountSid: string, conferenceSid: string): ConferenceRoom | undefined {
    const room = this.rooms.get(conferenceSid);
    return room && room.accountSid === accountSid ? room : undefined;
  }

  private participant(
    accountSid: string,
    conferenceSid: string,
    callSidOrLabel: string,
  ): { room: ConferenceRoom; participant: Participant } | ConferenceRequestError {
    const room = this.room(accountSid, conferenceSid);
    if (!room) return notFound(`Conference ${conferenceSid}`);
    const participant =
      room.participants.get(callSidOrLabel) ?? [...room.participants.values()].find((candidate) => candidate.label === callSidOrLabel);
    if (!participant) return notFound(`Participant ${callSidOrLabel}`);
    return { room, participant };
  }

  private liveRoomNamed(accountSid: string, friendlyName: string): ConferenceRoom | undefined {
    for (const room of this.rooms.values()) {
      if (room.accountSid === accountSid && room.friendlyName === friendlyName && room.status !== 'completed') return room;
    }
    return undefined;
  }

  /** The account's conference of that name that has not ended, or a new one (Twilio reuses names after the end). */
  private roomNamed(accountSid: string, friendlyName: string, maxParticipants: number): ConferenceRoom {
    const live = this.liveRoomNamed(accountSid, friendlyName);
    if (live) return live;
    const room = new ConferenceRoom(newConferenceSid(), accountSid, friendlyName, maxParticipants, this.deps);
    this.rooms.set(room.sid, room);
    room.onEnded(() => this.forgetOldRooms());
    return room;
  }

  private forgetOldRooms(): void {
    const completed = [...this.rooms.values()].filter((room) => room.status === 'completed');
    for (const room of completed.slice(0, Math.max(0, completed.length - KEEP_COMPLETED))) this.rooms.delete(room.sid);
  }
}

function endpointFor(to: string): LegEndpoint | undefined {
  const trimmed = to.trim();
  const client = /^client:([^\s]{1,256})$/.exec(trimmed);
  if (client) return { kind: 'client', identity: client[1] };
  const number = trimmed.replace(/[\s().-]/g, '');
  return /^\+?\d{3,15}$/.test(number) ? { kind: 'number', number } : undefined;
}

function isUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
