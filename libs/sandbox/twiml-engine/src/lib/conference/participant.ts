import {
  CallLegControl,
  ConferenceJoinOptions,
  ParticipantStatus,
  ParticipantView,
  SANDBOX_SAMPLE_RATE,
} from '@switchboard/sandbox-model';
import { concatPcm, dtmfTone, rms, silence } from '@switchboard/sandbox-util-audio';
import { SILENCE_RMS_THRESHOLD } from '../audio/tone-and-silence';
import { ClipPlayer, FrameSource } from './audio-sources';
import { CallbackParticipant } from './conference-callbacks';
import { ANNOUNCE_SOURCE, HeardSource, HOLD_SOURCE, LegAudioMeter, WAIT_SOURCE } from './leg-meter';
import { FRAME_MS, FRAME_SAMPLES, InputBuffer, MixSpeaker } from './mixer';

/** Silence that ends a participant's speech (participant-speech-stop). */
const SPEECH_HANGOVER_MS = 500;
/** A key press replayed in-band: tone and gap as Chrome's RTCDTMFSender sends them by default. */
const KEY_TONE_MS = 100;
const KEY_GAP_MS = 70;

/** One participant of a room: its state (Twilio's Participant resource) and its audio plumbing. */
export class Participant implements CallbackParticipant {
  status: ParticipantStatus;
  leg: CallLegControl | undefined;
  hold = false;
  holdUrl: string | undefined;
  holdMethod: 'GET' | 'POST' = 'POST';
  muted: boolean;
  coaching: boolean;
  callSidToCoach: string | undefined;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  readonly label: string | undefined;
  readonly dateCreated: number;
  dateUpdated: number;
  /** Set by removeParticipant, so the end reason can say "kicked". */
  kicked = false;
  readonly input = new InputBuffer();
  /** Keys the participant pressed, as tones: Twilio's conferences carry DTMF in-band to the others. */
  private readonly keypad = new ClipPlayer();
  /** Wait music before the conference starts, hold music while held. */
  background: FrameSource | undefined;
  /** A participant announcement (announceUrl), mixed over whatever else they hear. */
  announcement: FrameSource | undefined;
  speaking = false;
  /** What this participant was sent, by source (the sandbox's leg-audio test hook). */
  readonly heard = new LegAudioMeter();
  private silentMs = 0;
  private readonly cleanups: (() => void)[] = [];
  private resolveLeft: (() => void) | undefined;
  readonly left: Promise<void>;

  constructor(
    readonly callSid: string,
    readonly options: ConferenceJoinOptions,
    now: number,
    status: ParticipantStatus,
  ) {
    this.status = status;
    this.muted = options.muted;
    this.coaching = options.coaching ?? false;
    this.callSidToCoach = options.callSidToCoach;
    this.startConferenceOnEnter = options.startConferenceOnEnter;
    this.endConferenceOnExit = options.endConferenceOnExit;
    this.label = options.label;
    this.dateCreated = now;
    this.dateUpdated = now;
    this.left = new Promise((resolve) => (this.resolveLeft = resolve));
  }

  get connected(): boolean {
    return this.status === 'connected';
  }

  /** Starts listening to the leg: what it says goes to the input buffer. */
  connect(leg: CallLegControl, now: number): void {
    this.leg = leg;
    this.status = 'connected';
    this.dateUpdated = now;
    const tap = leg.onAudio?.((frame) => this.input.push(frame.samples));
    if (tap) this.cleanups.push(tap);
    this.cleanups.push(leg.onDigit((digit) => void this.keypad.enqueue(concatPcm([dtmfTone(digit, KEY_TONE_MS), silence(KEY_GAP_MS)]))));
  }

  onCleanup(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  setBackground(source: FrameSource | undefined): void {
    this.background?.stop();
    this.background = source;
  }

  /**
   * What the participant says this tick: its voice plus the tone of any key it pressed, so the tone
   * reaches exactly who hears its voice (nobody while held or muted) and never the participant itself.
   */
  nextSaid(): Int16Array | undefined {
    const voice = this.input.take();
    const key = this.keypad.next();
    if (!key) return voice;
    if (!voice) return key;
    const out = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.max(-32768, Math.min(32767, voice[i] + key[i]));
    return out;
  }

  /** Who hears this participant this tick. */
  audience(started: boolean): MixSpeaker['audience'] {
    if (!started || this.hold || this.muted) return 'nobody';
    if (this.coaching && this.callSidToCoach) return { only: this.callSidToCoach };
    return 'everyone';
  }

  /** Twilio's speaker detection, simplified: sound above -50 dBFS starts speech, 500 ms of silence ends it. */
  detectSpeech(frame: Int16Array | undefined): 'start' | 'stop' | undefined {
    const loud = frame !== undefined && rms(frame) >= SILENCE_RMS_THRESHOLD;
    if (loud) {
      this.silentMs = 0;
      if (!this.speaking) {
        this.speaking = true;
        return 'start';
      }
      return undefined;
    }
    if (!this.speaking) return undefined;
    this.silentMs += FRAME_MS;
    if (this.silentMs < SPEECH_HANGOVER_MS) return undefined;
    this.speaking = false;
    return 'stop';
  }

  /**
   * What only this participant hears this tick, summed (undefined: nothing), and its parts by source
   * (hold or wait music, announcement) for the meter.
   */
  ownAudio(): { mixed: Int16Array | undefined; parts: [HeardSource, Int16Array][] } {
    const background = this.background?.next();
    const announcement = this.announcement?.next();
    const parts: [HeardSource, Int16Array][] = [];
    if (background) parts.push([this.hold ? HOLD_SOURCE : WAIT_SOURCE, background]);
    if (announcement) parts.push([ANNOUNCE_SOURCE, announcement]);
    if (!background || !announcement) return { mixed: background ?? announcement, parts };
    const out = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.max(-32768, Math.min(32767, background[i] + announcement[i]));
    return { mixed: out, parts };
  }

  send(samples: Int16Array): void {
    this.leg?.sendFrame?.({ sampleRate: SANDBOX_SAMPLE_RATE, samples });
  }

  /** Leaves: stops its sources and taps and releases whoever awaits `left`. */
  finish(now: number): void {
    this.status = 'complete';
    this.dateUpdated = now;
    this.setBackground(undefined);
    this.announcement?.stop();
    this.announcement = undefined;
    this.keypad.stop();
    this.cleanups.splice(0).forEach((cleanup) => cleanup());
    this.resolveLeft?.();
  }

  view(conferenceSid: string, accountSid: string): ParticipantView {
    return {
      callSid: this.callSid,
      conferenceSid,
      accountSid,
      label: this.label,
      status: this.status,
      hold: this.hold,
      muted: this.muted,
      coaching: this.coaching,
      callSidToCoach: this.callSidToCoach,
      startConferenceOnEnter: this.startConferenceOnEnter,
      endConferenceOnExit: this.endConferenceOnExit,
      dateCreated: this.dateCreated,
      dateUpdated: this.dateUpdated,
    };
  }
}
