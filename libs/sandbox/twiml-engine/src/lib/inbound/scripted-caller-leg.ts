import { randomBytes } from 'node:crypto';
import { CallLegControl, PcmAudio, SandboxClock, SANDBOX_SAMPLE_RATE, TrackedLeg } from '@switchboard/sandbox-model';
import { concatPcm, DtmfToneDetector, durationMs, pcm, silence } from '@switchboard/sandbox-util-audio';
import { CallerStep } from './caller-script';

const FRAME_MS = 20;
const DIGIT_GAP_MS = 100;

export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

/**
 * A simulated PSTN caller, entirely in PCM: it follows its script from the moment the call is
 * placed (DTMF sent before the call is answered is lost, as on a real line), hears everything
 * played to it (`heard()`), hears DTMF tones in that audio as a phone would (`heardDigits`), and stays
 * on the line silently once the script runs out.
 */
export class ScriptedCallerLeg implements CallLegControl {
  readonly callSid = newCallSid();
  readonly direction = 'inbound' as const;
  answered = false;
  /** Why the call ended: `caller` (script), `hangup`/`rejected`/`busy` (the engine). */
  endedBy: string | undefined;
  private readonly heardParts: PcmAudio[] = [];
  private readonly endController = new AbortController();
  private readonly digitListeners = new Set<(digit: string) => void>();
  private readonly audioListeners = new Set<(frame: PcmAudio) => void>();
  private recording: PcmAudio[] | undefined;
  private observer: TrackedLeg | undefined;
  /** Digits heard in-band in what it was played or sent (e.g. keys a conference participant pressed). */
  heardDigits = '';
  private readonly toneDetector = new DtmfToneDetector((digit) => {
    this.heardDigits += digit;
    this.observer?.heardDigit?.(digit);
  });
  readonly scriptDone: Promise<void>;

  constructor(
    readonly accountSid: string,
    readonly from: string,
    readonly to: string,
    private readonly script: readonly CallerStep[],
    private readonly clock: SandboxClock,
  ) {
    this.scriptDone = this.runScript();
  }

  get ended(): AbortSignal {
    return this.endController.signal;
  }

  /** Report answer and end to the call core (its leg records and status events). */
  observe(observer: TrackedLeg): void {
    this.observer = observer;
    if (this.answered) observer.answered();
    if (this.endedBy !== undefined) observer.ended(endReason(this.endedBy), endedByWhom(this.endedBy));
  }

  async answer(): Promise<void> {
    if (this.answered || this.ended.aborted) return;
    this.answered = true;
    this.observer?.answered();
  }

  async play(audio: PcmAudio, signal?: AbortSignal): Promise<void> {
    if (this.ended.aborted) return;
    const stop = signal ? AbortSignal.any([signal, this.ended]) : this.ended;
    const started = this.clock.now();
    await this.clock.sleep(durationMs(audio), stop);
    // Keep only what was actually played before an interruption.
    const playedSamples = Math.min(audio.samples.length, Math.round(((this.clock.now() - started) * SANDBOX_SAMPLE_RATE) / 1000));
    this.hear(pcm(audio.samples.subarray(0, playedSamples)));
  }

  /** Continuous audio (a conference mix): heard as it arrives, one frame per writer tick. */
  sendFrame(frame: PcmAudio): void {
    if (!this.ended.aborted) this.hear(frame);
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
    const parts: PcmAudio[] = [];
    this.recording = parts;
    return {
      stop: () => {
        if (this.recording === parts) this.recording = undefined;
        return concatPcm(parts);
      },
    };
  }

  hangup(reason?: 'rejected' | 'busy'): void {
    this.end(reason ?? 'hangup');
  }

  /** Everything the caller heard, in order. */
  heard(): PcmAudio {
    return concatPcm(this.heardParts);
  }

  private hear(audio: PcmAudio): void {
    this.heardParts.push(audio);
    this.toneDetector.push(audio.samples);
  }

  private end(by: string): void {
    if (this.ended.aborted) return;
    this.endedBy = by;
    this.endController.abort();
    this.observer?.ended(endReason(by), endedByWhom(by));
  }

  private async runScript(): Promise<void> {
    for (const step of this.script) {
      if (this.ended.aborted) return;
      if ('wait' in step) await this.clock.sleep(step.wait * 1000, this.ended);
      else if ('silence' in step) await this.speak(() => silence(FRAME_MS), step.silence);
      else if ('tone' in step) await this.speak((offsetMs) => toneFrame(step.tone.hz, offsetMs), step.tone.seconds);
      else if ('dtmf' in step) {
        for (const digit of step.dtmf) {
          if (this.ended.aborted) return;
          if (this.answered) for (const listener of [...this.digitListeners]) listener(digit);
          await this.clock.sleep(DIGIT_GAP_MS, this.ended);
        }
      } else if ('hangup' in step) this.end('caller');
    }
  }

  private async speak(frameAt: (offsetMs: number) => PcmAudio, seconds: number): Promise<void> {
    for (let offset = 0; offset < seconds * 1000 && !this.ended.aborted; offset += FRAME_MS) {
      if (this.answered) {
        const frame = frameAt(offset);
        this.recording?.push(frame);
        for (const listener of [...this.audioListeners]) listener(frame);
      }
      await this.clock.sleep(FRAME_MS, this.ended);
    }
  }
}

/** The script hanging up is the caller (the party); anything else is the engine (the sandbox). */
function endedByWhom(endedBy: string): 'party' | 'sandbox' {
  return endedBy === 'caller' ? 'party' : 'sandbox';
}

function endReason(endedBy: string): 'hangup' | 'rejected' | 'busy' {
  return endedBy === 'rejected' || endedBy === 'busy' ? endedBy : 'hangup';
}

function toneFrame(hz: number, offsetMs: number): PcmAudio {
  const count = (SANDBOX_SAMPLE_RATE * FRAME_MS) / 1000;
  const start = (offsetMs * SANDBOX_SAMPLE_RATE) / 1000;
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = Math.round(Math.sin((2 * Math.PI * hz * (start + i)) / SANDBOX_SAMPLE_RATE) * 0.3 * 32767);
  return pcm(samples);
}
