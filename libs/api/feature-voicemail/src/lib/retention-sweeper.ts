import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { OutboundCallCaps, RetentionRepository, SessionsRepository } from '@switchboard/api-data-access-db';
import { RecordingRemover } from '@switchboard/api-data-access-telephony';

const DAY_MS = 86_400_000;
/** Voicemails handled per sweep: a backlog drains over several sweeps instead of one long one. */
export const VOICEMAILS_PER_SWEEP = 100;

export interface SweepReport {
  readonly callEventPayloadsCleared: number;
  readonly voicemailsDeleted: number;
  /** Recordings the provider could not delete now; their voicemails stay and are tried again next sweep. */
  readonly voicemailsKept: number;
  readonly outboundRefusalsDeleted: number;
  readonly signInFailuresDeleted: number;
}

/**
 * The periodic purge behind the retention settings: expired sessions, call-event payloads,
 * voicemails (recording first, then the row) and outbound-call refusals past their retention,
 * toll-fraud grants older than the caps look back, sign-in failures the limiter's window no
 * longer counts, and hang-ups' intended-leave records a day old. Runs at start and every
 * RETENTION_SWEEP_INTERVAL_SECONDS on every instance; every delete is idempotent, so instances
 * sweeping at once only repeat each other's no-ops.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RetentionSweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepReport> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly retention: RetentionRepository,
    private readonly grants: OutboundCallCaps,
    private readonly recordings: RecordingRemover,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.retention.sweepIntervalSeconds;
    if (seconds === 0) return;
    const tick = () => void this.sweep().catch((error: unknown) => this.logger.error(`Retention sweep failed: ${(error as Error).message}`));
    // unref: a pending sweep never keeps the process alive; shutdown waits for a running one below.
    this.timer = setInterval(tick, seconds * 1000).unref();
    setImmediate(tick).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One sweep; a sweep already running in this process is joined, not doubled. */
  sweep(now: Date = new Date()): Promise<SweepReport> {
    this.running ??= this.sweepOnce(now).finally(() => { this.running = undefined; });
    return this.running;
  }

  private async sweepOnce(now: Date): Promise<SweepReport> {
    const { callEventPayloadDays, voicemailDays, outboundRefusalDays } = this.config.retention;
    await this.sessions.deleteExpired(now);
    // Failures count only inside the limiter's window; older ones are dead weight (a failed sign-in
    // prunes them too, but only when another one fails).
    const signInFailuresDeleted = await this.retention.deleteSignInFailuresOutsideWindow(this.config.signInLimits.windowSeconds);
    // Grants count toward caps for a day at most; two days leave room for clock skew between instances.
    await this.grants.purgeGrantsBefore(new Date(now.getTime() - 2 * DAY_MS));
    // An intended leave only tells its leg's participant-leave callback, seconds after the hang-up, that
    // the agent meant to go; a day covers a delayed callback and clock skew. Rescues and transfers stay:
    // they are part of call history, whose rows are never deleted (only event payloads are emptied).
    await this.retention.deleteIntendedLeavesBefore(new Date(now.getTime() - DAY_MS));
    const callEventPayloadsCleared = callEventPayloadDays === 0 ? 0
      : await this.retention.clearCallEventPayloadsBefore(new Date(now.getTime() - callEventPayloadDays * DAY_MS));
    const outboundRefusalsDeleted = outboundRefusalDays === 0 ? 0
      : await this.retention.deleteOutboundRefusalsBefore(new Date(now.getTime() - outboundRefusalDays * DAY_MS));
    let voicemailsDeleted = 0;
    let voicemailsKept = 0;
    if (voicemailDays > 0) {
      const aged = await this.retention.voicemailsReceivedBefore(new Date(now.getTime() - voicemailDays * DAY_MS), VOICEMAILS_PER_SWEEP);
      for (const voicemail of aged) {
        try {
          await this.recordings.remove(voicemail.recordingSid);
        } catch (error) {
          // The row is kept so the recording is not orphaned at the provider; the next sweep retries.
          voicemailsKept++;
          this.logger.warn(`Recording ${voicemail.recordingSid} could not be deleted; voicemail kept for the next sweep: ${(error as Error).message}`);
          continue;
        }
        if (await this.retention.deleteVoicemail(voicemail.id)) voicemailsDeleted++;
      }
    }
    const report = { callEventPayloadsCleared, voicemailsDeleted, voicemailsKept, outboundRefusalsDeleted, signInFailuresDeleted };
    if (Object.values(report).some((count) => count > 0)) {
      this.logger.log(`Retention: ${callEventPayloadsCleared} call-event payloads cleared, ${voicemailsDeleted} voicemails deleted, `
        + `${voicemailsKept} kept for retry, ${outboundRefusalsDeleted} outbound-call refusals and ${signInFailuresDeleted} expired sign-in failures deleted`);
    }
    return report;
  }
}
