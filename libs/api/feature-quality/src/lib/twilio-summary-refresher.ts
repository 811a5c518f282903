import { Injectable, Logger } from '@nestjs/common';
import { QualityRepository } from '@switchboard/api-data-access-db';
import { CallSummaries } from '@switchboard/api-data-access-telephony';
import type { TwilioCallSummary } from '@switchboard/shared-contracts';

/** A leg's summary is asked for at most this often (Twilio fills it in over minutes). */
export const SUMMARY_RETRY_MS = 60_000;

/**
 * Keeps Twilio's Call Summary beside each record: fetched in the background after a record is stored,
 * and again when a record is read while its summary is missing or still `partial`, at most once a
 * minute per leg (per instance). Failures are logged, never thrown: the record stands without it.
 */
@Injectable()
export class TwilioSummaryRefresher {
  private readonly logger = new Logger('TwilioSummaryRefresher');
  private readonly lastAsked = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();

  /** The clock the throttle reads; a test may replace it. */
  clock: () => number = Date.now;

  constructor(private readonly summaries: CallSummaries, private readonly quality: QualityRepository) {}

  /** Whether a stored summary should be asked for again. */
  static isStale(summary: TwilioCallSummary | null): boolean {
    return summary === null || summary.processingState !== 'complete';
  }

  /** Starts a fetch for the leg unless one was started less than a minute ago; never waits for it. */
  refresh(callSid: string): void {
    const now = this.clock();
    const last = this.lastAsked.get(callSid);
    if (last !== undefined && now - last < SUMMARY_RETRY_MS) return;
    this.lastAsked.set(callSid, now);
    this.forget(now);
    const work = this.fetchAndStore(callSid).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /** Settles once every fetch started so far has (tests, and shutdown). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async fetchAndStore(callSid: string): Promise<void> {
    try {
      const summary = await this.summaries.fetch(callSid);
      if (summary) await this.quality.setTwilioSummary(callSid, summary);
    } catch (error) {
      this.logger.warn(`Call Summary of ${callSid} not fetched: ${(error as Error).message}`);
    }
  }

  /** Drops throttle entries older than the retry window, so the map stays as small as a minute's records. */
  private forget(now: number): void {
    if (this.lastAsked.size < 1000) return;
    for (const [sid, at] of this.lastAsked) if (now - at >= SUMMARY_RETRY_MS) this.lastAsked.delete(sid);
  }
}
