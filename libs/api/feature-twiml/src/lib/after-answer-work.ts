/**
 * Work a webhook starts once its TwiML has been answered (ring the agents, dial the number, queue the caller):
 * scheduled with setImmediate so the answer is written first, and tracked, so that shutting down waits for the
 * work already under way (it holds REST requests and database writes) instead of letting it run on a closed
 * database or, in tests, after the test environment is gone. Work not yet begun when shutdown starts is skipped
 * and said, as the process is leaving anyway.
 */
export class AfterAnswerWork {
  private readonly running = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly log: { error(message: string): void; warn(message: string): void }) {}

  /** Runs `work` after the current answer; its failure is logged as `failure` says, never thrown. */
  start(what: string, work: () => Promise<void>): void {
    setImmediate(() => {
      if (this.closing) {
        this.log.warn(`Shutting down: ${what} was not started`);
        return;
      }
      const done: Promise<void> = work()
        .catch((error: unknown) => this.log.error(`${what} failed: ${(error as Error).message}`))
        .finally(() => this.running.delete(done));
      this.running.add(done);
    });
  }

  /** Starts nothing more and waits for what runs, at most `deadlineMs` (a REST request may take its whole timeout). */
  async drain(deadlineMs: number): Promise<void> {
    this.closing = true;
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs).unref()));
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
    clearTimeout(timer);
  }
}
