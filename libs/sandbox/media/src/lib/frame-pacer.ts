import { FRAME_MS } from './tones';

/**
 * Calls `tick` once per 20 ms of wall-clock time. Node timers drift and bunch up, so each wake-up
 * catches up on every frame that fell due (bounded, so a long pause does not cause a burst).
 */
export class FramePacer {
  private timer: NodeJS.Timeout | undefined;
  private nextDue = 0;

  constructor(private readonly tick: () => void) {}

  start(): void {
    if (this.timer) return;
    this.nextDue = Date.now();
    this.timer = setInterval(() => this.wake(), FRAME_MS / 2);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private wake(): void {
    const now = Date.now();
    if (now - this.nextDue > 10 * FRAME_MS) this.nextDue = now; // after a stall, resume rather than burst
    while (this.nextDue <= now) {
      this.nextDue += FRAME_MS;
      this.tick();
    }
  }
}
