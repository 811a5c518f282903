import { DtmfToneDetector } from '@switchboard/sandbox-util-audio';
import {
  SANDBOX_SAMPLE_RATE,
  type CallLegControl,
  type PcmAudio,
} from '@switchboard/sandbox-model';
import type { AudioPort } from './media-port';

const FRAME_SAMPLES = 160;
/** Bridged audio waiting to be sent; beyond this (200 ms) the oldest frames are dropped. */
const MAX_QUEUED_FRAMES = 10;
const SILENT_FRAME = new Int16Array(FRAME_SAMPLES);

/** Who ended a leg: the sandbox (Twilio's side: TwiML, REST, the other leg of a bridge) or the party at its far end. */
export type LegEndedBy = 'sandbox' | 'party';

export interface LegInfo {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: CallLegControl['direction'];
}

/** How the owner of the leg's signaling (an SDK socket, a scripted party) answers and ends it. */
export interface LegSignaling {
  answer(): Promise<void>;
  hangup(reason?: 'rejected' | 'busy'): void;
}

interface PlayItem {
  readonly samples: Int16Array;
  offset: number;
  readonly done: () => void;
}

/**
 * One live leg as the TwiML engine sees it. Its outgoing audio is, in order of priority: what is
 * being played to it, then audio bridged from another leg, else silence.
 */
export class LiveLeg implements CallLegControl {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: CallLegControl['direction'];
  private readonly abort = new AbortController();
  readonly ended: AbortSignal = this.abort.signal;
  private answered = false;
  /** True once the sandbox itself ended the leg (TwiML, REST, a bridge ending), not the party. */
  private hungUpHere = false;
  private answering: Promise<void> | undefined;
  private readonly plays: PlayItem[] = [];
  private readonly bridgedFrames: Int16Array[] = [];
  private recordings = new Set<Int16Array[]>();
  private readonly heardDigitListeners = new Set<(digit: string) => void>();
  /** Listens to what the leg is sent, as the phone at its end would, for DTMF tones. */
  private readonly toneDetector = new DtmfToneDetector((digit) => this.heardDigitListeners.forEach((listener) => listener(digit)));

  constructor(
    info: LegInfo,
    readonly audio: AudioPort,
    private readonly signaling: LegSignaling,
    private readonly onEnded: (leg: LiveLeg, reason: 'hangup' | 'rejected' | 'busy', endedBy: LegEndedBy) => void,
    private readonly onAnswered: (leg: LiveLeg) => void,
  ) {
    ({ callSid: this.callSid, accountSid: this.accountSid, from: this.from, to: this.to, direction: this.direction } = info);
    audio.setSource(() => {
      const frame = this.nextFrame();
      this.toneDetector.push(frame ?? SILENT_FRAME);
      return frame;
    });
    audio.onFrame((frame) => {
      for (const chunks of this.recordings) chunks.push(Int16Array.from(frame));
    });
  }

  get isAnswered(): boolean {
    return this.answered;
  }

  /** Mark answered without signaling (the party answered by itself, e.g. a callee). */
  markAnswered(): void {
    if (this.answered) return;
    this.answered = true;
    this.onAnswered(this);
  }

  answer(): Promise<void> {
    if (this.answered || this.ended.aborted) return Promise.resolve();
    this.answering ??= this.signaling.answer().then(() => this.markAnswered());
    return this.answering;
  }

  play(audio: PcmAudio, signal?: AbortSignal): Promise<void> {
    if (audio.sampleRate !== SANDBOX_SAMPLE_RATE) {
      return Promise.reject(new Error(`play() needs ${SANDBOX_SAMPLE_RATE} Hz audio, got ${audio.sampleRate}`));
    }
    if (this.ended.aborted || signal?.aborted || audio.samples.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const item: PlayItem = { samples: audio.samples, offset: 0, done: finish };
      const stop = (): void => {
        const index = this.plays.indexOf(item);
        if (index >= 0) this.plays.splice(index, 1);
        finish();
      };
      function finish(): void {
        signal?.removeEventListener('abort', stop);
        resolve();
      }
      signal?.addEventListener('abort', stop, { once: true });
      this.ended.addEventListener('abort', stop, { once: true });
      this.plays.push(item);
    });
  }

  onDigit(listener: (digit: string) => void): () => void {
    return this.audio.onDigit(listener);
  }

  /** Each DTMF digit heard in the audio sent to this leg (in-band tones). Returns an unsubscribe. */
  onHeardDigit(listener: (digit: string) => void): () => void {
    this.heardDigitListeners.add(listener);
    return () => this.heardDigitListeners.delete(listener);
  }

  onAudio(listener: (frame: PcmAudio) => void): () => void {
    return this.audio.onFrame((samples) => listener({ sampleRate: SANDBOX_SAMPLE_RATE, samples }));
  }

  startRecording(): { stop(): PcmAudio } {
    const chunks: Int16Array[] = [];
    this.recordings.add(chunks);
    return {
      stop: () => {
        this.recordings.delete(chunks);
        const total = chunks.reduce((n, c) => n + c.length, 0);
        const samples = new Int16Array(total);
        let offset = 0;
        for (const chunk of chunks) {
          samples.set(chunk, offset);
          offset += chunk.length;
        }
        return { sampleRate: SANDBOX_SAMPLE_RATE, samples };
      },
    };
  }

  hangup(reason?: 'rejected' | 'busy'): void {
    if (this.ended.aborted) return;
    this.hungUpHere = true;
    this.signaling.hangup(reason);
    this.end(reason ?? 'hangup');
  }

  /** The far end went away (or the core ends it): release everything, tell listeners once. */
  end(reason: 'hangup' | 'rejected' | 'busy' = 'hangup'): void {
    if (this.ended.aborted) return;
    this.abort.abort();
    this.plays.splice(0).forEach((p) => p.done());
    this.recordings = new Set();
    this.audio.close();
    this.onEnded(this, reason, this.hungUpHere ? 'sandbox' : 'party');
  }

  /** CallLegControl.sendFrame: continuous audio (a conference mix), queued like bridged audio. */
  sendFrame(frame: PcmAudio): void {
    if (!this.ended.aborted) this.enqueueBridged(frame.samples);
  }

  /** Audio from a bridged leg, sent on the next free 20 ms slot. */
  enqueueBridged(frame: Int16Array): void {
    this.bridgedFrames.push(frame);
    if (this.bridgedFrames.length > MAX_QUEUED_FRAMES) this.bridgedFrames.shift();
  }

  clearBridged(): void {
    this.bridgedFrames.length = 0;
  }

  private nextFrame(): Int16Array | undefined {
    const bridged = this.bridgedFrames.shift();
    const play = this.plays[0];
    if (!play) return bridged;
    const frame = new Int16Array(FRAME_SAMPLES);
    frame.set(play.samples.subarray(play.offset, play.offset + FRAME_SAMPLES));
    play.offset += FRAME_SAMPLES;
    if (play.offset >= play.samples.length) {
      this.plays.shift();
      play.done();
    }
    return frame;
  }
}
