import type { AudioPort, FrameSource } from '@switchboard/sandbox-data-access-calls';

/**
 * The audio of an SDK call as the call core sees it, independent of which media endpoint carries it
 * right now. `device.connect({ connectToken })` moves an answered call to a new peer connection
 * (a new sandbox endpoint); the core's bridge, recorder or player keep their subscriptions here and
 * hear and feed the new endpoint from then on.
 */
export class MovableAudioPort implements AudioPort {
  private readonly frameListeners = new Set<(frame: Int16Array) => void>();
  private readonly digitListeners = new Set<(digit: string) => void>();
  private source: FrameSource | undefined;
  private detach: () => void;

  constructor(private current: AudioPort) {
    this.detach = this.attach(current);
  }

  onFrame(listener: (frame: Int16Array) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onDigit(listener: (digit: string) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }

  setSource(source: FrameSource | undefined): void {
    this.source = source;
    this.current.setSource(source);
  }

  /** From now on `next` is heard and fed; the previous port stops being either (its owner closes it). */
  moveTo(next: AudioPort): void {
    this.detach();
    this.current.setSource(undefined);
    this.current = next;
    this.detach = this.attach(next);
    next.setSource(this.source);
  }

  close(): void {
    this.current.close();
  }

  private attach(port: AudioPort): () => void {
    const offFrame = port.onFrame((frame) => this.frameListeners.forEach((listener) => listener(frame)));
    const offDigit = port.onDigit((digit) => this.digitListeners.forEach((listener) => listener(digit)));
    return () => {
      offFrame();
      offDigit();
    };
  }
}
