import {
  CallLegControl,
  ConferenceEndReason,
  ConferenceJoinOptions,
  ConferenceStatus,
  ConferenceView,
  ParticipantStatus,
  ParticipantUpdate,
  SandboxClock,
} from '@switchboard/sandbox-model';
import { tone } from '../audio/tone-and-silence';
import { builtInHoldMusic, ClipPlayer, FrameSource, LoopingClip, MediaSourceDeps, playFromUrl, ringbackCadence } from './audio-sources';
import { ConferenceCallbacks } from './conference-callbacks';
import { HeardSource, ROOM_SOURCE } from './leg-meter';
import { FRAME_MS, FRAME_SAMPLES, heardFrames, MixListener, MixSpeaker, mixTick } from './mixer';
import { Participant } from './participant';

export interface RoomDeps extends MediaSourceDeps {
  readonly clock: SandboxClock;
}

/** Twilio's API version, sent with wait/hold/announce requests (run-twiml's API_VERSION; not imported to avoid a cycle). */
const API_VERSION_PARAM = '2010-04-01';
const ENTER_BEEP = tone(880, 200, 0.25);
const EXIT_BEEP = tone(440, 200, 0.25);
/** Falling this far behind the clock resyncs the ticks instead of sending a burst. */
const MAX_LAG_MS = 200;

/**
 * One conference (Twilio's rules): it starts when a participant with startConferenceOnEnter joins
 * (until then everyone hears the wait audio); it ends when a participant with endConferenceOnExit
 * leaves or the last one leaves, and then every participant leaves it. Audio is mixed every 20 ms
 * on the room's clock for all participants at once (see mixer.ts).
 */
export class ConferenceRoom {
  status: ConferenceStatus = 'init';
  readonly dateCreated: number;
  dateUpdated: number;
  reasonEnded: ConferenceEndReason | undefined;
  callSidEndingConference: string | undefined;
  readonly participants = new Map<string, Participant>();
  readonly callbacks: ConferenceCallbacks;
  private readonly roomSources: FrameSource[] = [];
  private readonly beeps = new ClipPlayer();
  /** Ringback of ringing participants added with EarlyMedia, by call SID (in roomSources while they ring). */
  private readonly ringbacks = new Map<string, FrameSource>();
  private ticking: AbortController | undefined;
  private readonly endedListeners: (() => void)[] = [];

  constructor(
    readonly sid: string,
    readonly accountSid: string,
    readonly friendlyName: string,
    readonly maxParticipants: number,
    private readonly deps: RoomDeps,
  ) {
    this.dateCreated = deps.clock.now();
    this.dateUpdated = this.dateCreated;
    this.callbacks = new ConferenceCallbacks({ sid, accountSid, friendlyName }, deps.webhooks, deps.log, () => deps.clock.now());
    this.roomSources.push(this.beeps);
  }

  get started(): boolean {
    return this.status === 'in-progress';
  }

  get connectedCount(): number {
    return [...this.participants.values()].filter((p) => p.connected).length;
  }

  onEnded(listener: () => void): void {
    this.endedListeners.push(listener);
  }

  /** A participant created by the REST API, ringing until its call answers (or fails). */
  addPending(callSid: string, options: ConferenceJoinOptions): Participant {
    this.callbacks.adopt(options.statusCallback);
    const participant = new Participant(callSid, options, this.deps.clock.now(), 'queued');
    this.participants.set(callSid, participant);
    return participant;
  }

  setPendingStatus(callSid: string, status: ParticipantStatus): void {
    const participant = this.participants.get(callSid);
    if (participant && !participant.connected) participant.status = status;
  }

  /**
   * Twilio's EarlyMedia: the ringing callee's early media (its network's ringback) is heard by everyone who
   * hears the conference, until it answers or fails. Room audio, so it loops from the start of a cadence.
   */
  startRingback(callSid: string): void {
    const participant = this.participants.get(callSid);
    if (!participant || participant.connected || this.ringbacks.has(callSid) || this.status === 'completed') return;
    const source = new LoopingClip(ringbackCadence());
    this.ringbacks.set(callSid, source);
    this.roomSources.push(source);
    this.startTicking();
  }

  private stopRingback(callSid: string): void {
    const source = this.ringbacks.get(callSid);
    if (!source) return;
    this.ringbacks.delete(callSid);
    source.stop();
    const index = this.roomSources.indexOf(source);
    if (index >= 0) this.roomSources.splice(index, 1);
  }

  /** The pending participant's call never answered: it goes away without having joined. */
  dropPending(callSid: string): void {
    this.stopRingback(callSid);
    const participant = this.participants.get(callSid);
    if (!participant || participant.connected) return;
    this.participants.delete(callSid);
    participant.finish(this.deps.clock.now());
    if (this.participants.size === 0 && this.status !== 'completed') this.end('last-participant-left', callSid);
  }

  /**
   * Joins `leg` and resolves when it has left the conference: its call ended, `stop` aborted
   * (a redirect, `timeLimit`, `*` with hangupOnStar), it was removed, or the conference ended.
   */
  async join(leg: CallLegControl, options: ConferenceJoinOptions, stop?: AbortSignal): Promise<void> {
    // Answered (or gone): its early media ends whether or not it gets in.
    this.stopRingback(leg.callSid);
    if (this.status === 'completed' || leg.ended.aborted || stop?.aborted) return;
    if (this.connectedCount >= this.maxParticipants) {
      this.deps.log.warn('conference is full: the participant does not join', { conferenceSid: this.sid, callSid: leg.callSid });
      return;
    }
    const now = this.deps.clock.now();
    const participant = this.participants.get(leg.callSid) ?? new Participant(leg.callSid, options, now, 'connected');
    this.participants.set(leg.callSid, participant);
    this.callbacks.adopt(options.statusCallback);
    participant.connect(leg, now);
    const leave = (): void => this.leave(leg.callSid);
    leg.ended.addEventListener('abort', leave, { once: true });
    stop?.addEventListener('abort', leave, { once: true });
    participant.onCleanup(() => {
      leg.ended.removeEventListener('abort', leave);
      stop?.removeEventListener('abort', leave);
    });
    this.callbacks.send('participant-join', { participant });
    if (this.status === 'init' && participant.startConferenceOnEnter) this.start();
    else if (this.status === 'init') participant.setBackground(this.waitSource(participant));
    else if (participant.options.beep === true || participant.options.beep === 'onEnter') void this.beeps.enqueue(ENTER_BEEP);
    this.startTicking();
    await participant.left;
  }

  /** The participant leaves; the conference ends if Twilio's rules say so. */
  leave(callSid: string): void {
    const participant = this.participants.get(callSid);
    if (!participant || !participant.connected) return;
    this.participants.delete(callSid);
    participant.finish(this.deps.clock.now());
    this.callbacks.send('participant-leave', { participant });
    if (this.status === 'completed') return;
    if (participant.endConferenceOnExit) return this.end('participant-with-end-conference-on-exit-left', callSid);
    if (this.participants.size === 0) return this.end(participant.kicked ? 'last-participant-kicked' : 'last-participant-left', callSid);
    if (this.started && (participant.options.beep === true || participant.options.beep === 'onExit')) void this.beeps.enqueue(EXIT_BEEP);
  }

  /** Ends the conference: every participant leaves (their calls hang up when `hangup`), then conference-end. */
  end(reason: ConferenceEndReason, callSid?: string, hangup = false): void {
    if (this.status === 'completed') return;
    this.status = 'completed';
    this.reasonEnded = reason;
    this.callSidEndingConference = callSid;
    this.dateUpdated = this.deps.clock.now();
    for (const participant of [...this.participants.values()]) {
      if (participant.connected) {
        this.leave(participant.callSid);
        if (hangup) participant.leg?.hangup();
      } else this.participants.delete(participant.callSid);
    }
    this.ticking?.abort();
    this.roomSources.forEach((source) => source.stop());
    this.callbacks.send('conference-end', { reasonEnded: reason, callSidEndingConference: callSid });
    this.endedListeners.forEach((listener) => listener());
  }

  /** Applies a Participants update, sending Twilio's participant-* events for what changed. */
  update(participant: Participant, update: ParticipantUpdate): void {
    const now = this.deps.clock.now();
    let modified = false;
    if (update.holdUrl !== undefined) participant.holdUrl = update.holdUrl;
    if (update.holdMethod !== undefined) participant.holdMethod = update.holdMethod;
    if (update.hold !== undefined && update.hold !== participant.hold) {
      participant.hold = update.hold;
      participant.setBackground(update.hold ? this.holdSource(participant) : this.started ? undefined : this.waitSource(participant));
      this.callbacks.send(update.hold ? 'participant-hold' : 'participant-unhold', { participant });
    } else if (participant.hold && update.holdUrl !== undefined) {
      participant.setBackground(this.holdSource(participant));
    }
    if (update.muted !== undefined && update.muted !== participant.muted) {
      participant.muted = update.muted;
      this.callbacks.send(update.muted ? 'participant-mute' : 'participant-unmute', { participant });
    }
    if (update.coaching !== undefined && update.coaching !== participant.coaching) {
      participant.coaching = update.coaching;
      modified = true;
    }
    if (update.callSidToCoach !== undefined && update.callSidToCoach !== participant.callSidToCoach) {
      participant.callSidToCoach = update.callSidToCoach;
      modified = true;
    }
    if (update.endConferenceOnExit !== undefined && update.endConferenceOnExit !== participant.endConferenceOnExit) {
      participant.endConferenceOnExit = update.endConferenceOnExit;
      modified = true;
    }
    participant.dateUpdated = now;
    if (modified) this.callbacks.send('participant-modify', { participant });
    if (update.announceUrl) {
      const { source, done } = playFromUrl(
        {
          url: update.announceUrl, method: update.announceMethod ?? 'POST', accountSid: this.accountSid, params: this.mediaParams(participant), loop: false,
          listenerCallSid: participant.callSid,
        },
        this.deps,
      );
      participant.announcement?.stop();
      participant.announcement = source;
      void done.then((ok) => {
        if (participant.announcement === source) participant.announcement = undefined;
        this.callbacks.send(ok ? 'announcement-end' : 'announcement-fail', { callSid: participant.callSid });
      });
    }
  }

  /** Plays `url` to every participant who hears the conference; announcement-end/-fail when done. */
  announce(url: string, method: 'GET' | 'POST'): void {
    const { source, done } = playFromUrl({ url, method, accountSid: this.accountSid, params: this.mediaParams(), loop: false }, this.deps);
    this.roomSources.push(source);
    void done.then((ok) => {
      const index = this.roomSources.indexOf(source);
      if (index >= 0) this.roomSources.splice(index, 1);
      if (this.status !== 'completed') this.callbacks.send(ok ? 'announcement-end' : 'announcement-fail');
    });
  }

  view(): ConferenceView {
    return {
      sid: this.sid,
      accountSid: this.accountSid,
      friendlyName: this.friendlyName,
      status: this.status,
      dateCreated: this.dateCreated,
      dateUpdated: this.dateUpdated,
      reasonConferenceEnded: this.reasonEnded,
      callSidEndingConference: this.callSidEndingConference,
    };
  }

  /** One 20 ms tick: read each participant's frame, mix once, send each their mix (and meter what each was sent). */
  tick(): void {
    const connected = [...this.participants.values()].filter((p) => p.connected);
    const speakers: MixSpeaker[] = [];
    const listeners: MixListener[] = [];
    const ownParts: [HeardSource, Int16Array][][] = [];
    for (const participant of connected) {
      const frame = participant.nextSaid();
      const audience = participant.audience(this.started);
      if (this.started && !participant.hold) {
        const speech = participant.detectSpeech(audience === 'nobody' ? undefined : frame);
        if (speech) this.callbacks.send(speech === 'start' ? 'participant-speech-start' : 'participant-speech-stop', { participant });
      }
      speakers.push({ id: participant.callSid, frame, audience });
      const own = participant.ownAudio();
      ownParts.push(own.parts);
      listeners.push({ id: participant.callSid, hearsConference: this.started && !participant.hold, own: own.mixed });
    }
    const roomAudio = this.roomAudio();
    const mixes = mixTick(speakers, listeners, roomAudio);
    const now = this.deps.clock.now();
    connected.forEach((participant, index) => {
      participant.send(mixes[index]);
      participant.heard.record(now, mixes[index], [...heardFrames(speakers, listeners[index], roomAudio, ROOM_SOURCE), ...ownParts[index]]);
    });
  }

  private roomAudio(): Int16Array | undefined {
    let sum: Int32Array | undefined;
    for (const source of this.roomSources) {
      const frame = source.next();
      if (!frame) continue;
      sum ??= new Int32Array(FRAME_SAMPLES);
      for (let i = 0; i < FRAME_SAMPLES; i++) sum[i] += frame[i];
    }
    if (!sum) return undefined;
    return Int16Array.from(sum, (value) => Math.max(-32768, Math.min(32767, value)));
  }

  private start(): void {
    this.status = 'in-progress';
    this.dateUpdated = this.deps.clock.now();
    for (const participant of this.participants.values()) if (!participant.hold) participant.setBackground(undefined);
    this.callbacks.send('conference-start');
  }

  private waitSource(participant: Participant): FrameSource | undefined {
    const { waitUrl, waitMethod } = participant.options;
    return this.musicSource(participant, waitUrl, waitMethod ?? 'POST');
  }

  private holdSource(participant: Participant): FrameSource | undefined {
    return this.musicSource(participant, participant.holdUrl, participant.holdMethod);
  }

  /** Absent URL: the built-in hold music; '': silence; else the URL's TwiML or audio, looped. */
  private musicSource(participant: Participant, url: string | undefined, method: 'GET' | 'POST'): FrameSource | undefined {
    if (url === undefined) return new LoopingClip(builtInHoldMusic());
    if (url === '') return undefined;
    const request = { url, method, accountSid: this.accountSid, params: this.mediaParams(participant), loop: true, listenerCallSid: participant.callSid };
    return playFromUrl(request, this.deps).source;
  }

  private mediaParams(participant?: Participant): Record<string, string> {
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION_PARAM,
      ConferenceSid: this.sid,
      FriendlyName: this.friendlyName,
    };
    const leg = participant?.leg;
    if (leg) Object.assign(params, { CallSid: leg.callSid, From: leg.from, To: leg.to, Direction: leg.direction, CallStatus: 'in-progress' });
    return params;
  }

  private startTicking(): void {
    if (this.ticking || this.status === 'completed') return;
    const ticking = new AbortController();
    this.ticking = ticking;
    const { clock } = this.deps;
    void (async () => {
      let next = clock.now() + FRAME_MS;
      while (!ticking.signal.aborted) {
        await clock.sleep(Math.max(0, next - clock.now()), ticking.signal);
        if (ticking.signal.aborted) return;
        try {
          this.tick();
        } catch (error) {
          this.deps.log.error('conference tick failed', { conferenceSid: this.sid, error: String(error) });
        }
        next += FRAME_MS;
        if (clock.now() - next > MAX_LAG_MS) next = clock.now() + FRAME_MS;
      }
    })();
  }
}
