import type { SandboxClock } from '@switchboard/sandbox-model';
import type { AudioPort, FrameSource } from './media-port';
import type { AnsweredParty, OutboundRing, PartyNetwork, RingOutcome, RingRequest } from './party-network';

export type ScriptedBehaviour = 'answersAndEchoes' | 'answersWithTone' | 'busy' | 'noAnswer' | 'fails';

export interface ScriptedPhoneNetworkOptions {
  /** Number (E.164) → behaviour. Numbers not listed ring until the dial times out. */
  readonly numbers: Readonly<Record<string, ScriptedBehaviour>>;
  readonly clock: SandboxClock;
  /** How long a scripted party rings before it answers or refuses. */
  readonly ringMs?: number;
}

const FRAME_SAMPLES = 160;
const FRAME_MS = 20;

/** The simulated PSTN: parties chosen by number, in the spirit of Twilio's magic test numbers. */
export class ScriptedPhoneNetwork implements PartyNetwork {
  constructor(private readonly options: ScriptedPhoneNetworkOptions) {}

  ring(request: RingRequest): OutboundRing {
    const controller = new AbortController();
    const number = request.to.kind === 'number' ? request.to.number : '';
    const behaviour = this.options.numbers[number] ?? 'noAnswer';
    const ringMs = this.options.ringMs ?? 1000;
    const outcome = new Promise<RingOutcome>((resolve) => {
      if (behaviour === 'noAnswer') return; // rings until the caller gives up
      void this.options.clock.sleep(behaviour === 'busy' || behaviour === 'fails' ? 0 : ringMs, controller.signal).then(() => {
        if (controller.signal.aborted) return;
        if (behaviour === 'busy') resolve({ kind: 'busy' });
        else if (behaviour === 'fails') resolve({ kind: 'failed' });
        else resolve({ kind: 'answered', party: new ScriptedParty(behaviour) });
      });
    });
    return {
      ringing: behaviour === 'fails' ? new Promise<void>(() => undefined) : Promise.resolve(),
      outcome,
      cancel: () => controller.abort(),
    };
  }
}

/** A scripted party that answered: it echoes what it hears (delayed one frame) or plays a 440 Hz tone. */
class ScriptedParty implements AnsweredParty, AudioPort {
  readonly audio: AudioPort = this;
  private readonly frameListeners = new Set<(frame: Int16Array) => void>();
  private readonly hangupListeners: (() => void)[] = [];
  private source: FrameSource | undefined;
  private phase = 0;
  private readonly timer: NodeJS.Timeout;
  private ended = false;

  constructor(private readonly behaviour: 'answersAndEchoes' | 'answersWithTone') {
    this.timer = setInterval(() => this.tick(), FRAME_MS);
  }

  onFrame(listener: (frame: Int16Array) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onDigit(): () => void {
    return () => undefined; // scripted parties send no digits
  }

  setSource(source: FrameSource | undefined): void {
    this.source = source;
  }

  onHangup(listener: () => void): void {
    this.hangupListeners.push(listener);
  }

  hangup(): void {
    this.close();
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.frameListeners.clear();
  }

  private tick(): void {
    const heard = this.source?.();
    const said = this.behaviour === 'answersAndEchoes' ? heard : this.nextToneFrame();
    if (!said) return;
    for (const listener of this.frameListeners) listener(said);
  }

  private nextToneFrame(): Int16Array {
    const frame = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      frame[i] = Math.round(6000 * Math.sin(this.phase));
      this.phase += (2 * Math.PI * 440) / 8000;
    }
    this.phase %= 2 * Math.PI;
    return frame;
  }
}
