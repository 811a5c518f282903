import { CallLegControl, PcmAudio, SandboxClock } from '@switchboard/sandbox-model';
import { concatPcm, durationMs } from '@switchboard/sandbox-util-audio';

export interface FakeLegEvent {
  readonly at: number;
  readonly what: 'answer' | 'play' | 'play-interrupted' | 'hangup' | 'record-start' | 'record-stop';
  readonly detail?: string;
}

/**
 * A CallLegControl that lives on a clock: `play` takes the audio's duration, digits and caller
 * audio are injected by the test, and everything the engine did is in `events`.
 */
export class FakeLeg implements CallLegControl {
  readonly events: FakeLegEvent[] = [];
  readonly played: PcmAudio[] = [];
  answered = false;
  hangupReason: string | undefined;
  private readonly endController = new AbortController();
  private readonly digitListeners = new Set<(digit: string) => void>();
  private readonly audioListeners = new Set<(frame: PcmAudio) => void>();
  private recordingParts: PcmAudio[] | undefined;

  constructor(
    private readonly clock: SandboxClock,
    readonly callSid = 'CA00000000000000000000000000000001',
    readonly accountSid = 'ACefc1f744e4b84f26a34fcf28eeb49aac',
    readonly from = '+14155550150',
    readonly to = '+14155550100',
    readonly direction: CallLegControl['direction'] = 'inbound',
  ) {}

  get ended(): AbortSignal {
    return this.endController.signal;
  }

  async answer(): Promise<void> {
    if (!this.answered) this.log('answer');
    this.answered = true;
  }

  async play(audio: PcmAudio, signal?: AbortSignal): Promise<void> {
    if (this.ended.aborted) return;
    this.played.push(audio);
    this.log('play', `${Math.round(durationMs(audio))}ms`);
    const stop = signal ? AbortSignal.any([signal, this.ended]) : this.ended;
    await this.clock.sleep(durationMs(audio), stop);
    if (stop.aborted) this.log('play-interrupted');
  }

  /** Frames written with sendFrame (a conference mix), in order. */
  readonly framesHeard: PcmAudio[] = [];

  sendFrame(frame: PcmAudio): void {
    if (!this.ended.aborted) this.framesHeard.push(frame);
  }

  onDigit(listener: (digit: string) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }

  onAudio(listener: (frame: PcmAudio) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  startRecording(): { stop(): PcmAudio } {
    this.recordingParts = [];
    this.log('record-start');
    return {
      stop: () => {
        const audio = concatPcm(this.recordingParts ?? []);
        this.recordingParts = undefined;
        this.log('record-stop', `${Math.round(durationMs(audio))}ms`);
        return audio;
      },
    };
  }

  hangup(reason?: 'rejected' | 'busy'): void {
    if (this.ended.aborted) return;
    this.hangupReason = reason ?? 'hangup';
    this.log('hangup', reason);
    this.endController.abort();
  }

  /** The far end presses keys. */
  pressDigits(digits: string): void {
    for (const digit of digits) for (const listener of [...this.digitListeners]) listener(digit);
  }

  /** The far end says `audio` (delivered at once, as one frame, to recordings and taps). */
  speak(audio: PcmAudio): void {
    this.recordingParts?.push(audio);
    for (const listener of [...this.audioListeners]) listener(audio);
  }

  /** The far end hangs up. */
  farEndHangsUp(): void {
    if (!this.ended.aborted) {
      this.log('hangup', 'far-end');
      this.endController.abort();
    }
  }

  whats(): string[] {
    return this.events.map((event) => event.what);
  }

  private log(what: FakeLegEvent['what'], detail?: string): void {
    this.events.push({ at: this.clock.now(), what, detail });
  }
}
