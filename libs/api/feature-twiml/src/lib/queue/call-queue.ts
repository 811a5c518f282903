import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { QueueRepository, type QueueEntry } from '@switchboard/api-data-access-db';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { AgentEligibility } from '@switchboard/api-data-access-presence';
import {
  CallProgressEvents, ConferenceCommandError, ConferenceCommands, type CallProgressNotice,
} from '@switchboard/api-data-access-telephony';
import { FLOOR_EVENTS, WEBHOOK_ROUTES, clientIdentity, type FloorQueueEvent, type QueuedCall } from '@switchboard/shared-contracts';
import { AgentRinging, RECHECK_AFTER_TIMEOUT_MS } from '../agent-ringing';
import { anchoredCallOf, ANCHOR_UNANSWERED_QUERY, CUSTOMER_LABEL } from '../conference-anchor';

/** A customer call to hold until an agent of its route is available and reachable. */
export interface QueueRequest {
  readonly customerCallSid: string;
  readonly customerNumber: string;
  /** The number's route, `group:<name>` or `agent:<identity>`. */
  readonly target: string;
  /** The identities the call may be offered to, in the route's order. */
  readonly members: readonly string[];
}

/** How often each instance runs the queue: an agent who becomes available is offered a call within this. */
export const QUEUE_TICK_MS = 1000;
/** Calls sent to voicemail per pass at most (the next pass takes the rest). */
const VOICEMAIL_BATCH = 20;
/**
 * An offer nobody settled this long after its ring timeout (the instance ringing it stopped) goes back to
 * waiting: AgentRinging reads the legs back after RECHECK_AFTER_TIMEOUT_MS, so by then it would have.
 */
const STALE_OFFER_GRACE_MS = RECHECK_AFTER_TIMEOUT_MS + 30_000;

/**
 * The queue of inbound customer calls nobody could take when they arrived (issue 13, item 3). The caller
 * waits in their conference hearing their position (queue-wait webhook). Every instance ticks each
 * second; each pass, with the database as the only shared state:
 * 1. settles calls from the stored callbacks: an agent joined → answered; the caller left → abandoned;
 * 2. sends calls queued longer than QUEUE_MAX_WAIT_SECONDS to voicemail (each claimed by one instance);
 * 3. offers the oldest waiting calls first, each to its first eligible member not yet tried (the claim
 *    lets one instance make it, and an agent is offered one call at a time), ringing that agent alone;
 *    an unanswered offer goes back to waiting with that agent tried.
 * Callbacks this instance processed start a pass at once. Each change is published as `floor.queue`.
 */
@Injectable()
export class CallQueue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CallQueue');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** The one pass waiting for the running one to end (however many ticks asked meanwhile), and its time. */
  private queued: Promise<void> | null = null;
  private queuedAt: Date | undefined;
  private stopListening: () => void = () => undefined;
  private warnedNoEligibility = false;
  /** The calls in the queue at the last pass: whose status callbacks start a pass at once. */
  private openCalls = new Set<string>();

  constructor(
    private readonly queue: QueueRepository,
    private readonly ringing: AgentRinging,
    private readonly commands: ConferenceCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Optional as in the other timers: a module built without telephony runs no pass.
    @Optional() private readonly progress?: CallProgressEvents,
    @Optional() private readonly eligibility?: AgentEligibility,
    @Optional() private readonly publisher?: LiveEventPublisher,
  ) {}

  onModuleInit(): void {
    if (!this.progress) return;
    this.stopListening = this.progress.listen((notice) => this.onNotice(notice));
    this.timer = setInterval(() => void this.tick(), QUEUE_TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopListening();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.queued;
  }

  /** Queues the caller (once, however often asked) and runs a pass: an agent may be free already. */
  async enqueue(request: QueueRequest, now = new Date()): Promise<void> {
    const queued = await this.queue.enqueue({ ...request, enqueuedAt: now });
    if (!queued) return;
    this.openCalls.add(request.customerCallSid);
    this.logger.log(`${request.customerCallSid} queued for ${request.target}`);
    await this.publish(now);
    void this.tick(now);
  }

  /** The queue now, oldest first (the board's snapshot). */
  waiting(now = new Date()): Promise<QueuedCall[]> {
    return this.queue.waiting(now);
  }

  /**
   * One pass. Asked while one runs, one more pass follows it (so a callback's change never waits for the
   * next second), shared by every ask meanwhile, at the latest time asked.
   */
  tick(now?: Date): Promise<void> {
    if (!this.running) return this.start(now);
    this.queuedAt = now;
    this.queued ??= this.running.then(() => {
      this.queued = null;
      return this.start(this.queuedAt);
    });
    return this.queued;
  }

  private start(now: Date | undefined): Promise<void> {
    const running: Promise<void> = this.pass(now ?? new Date())
      .catch((error: unknown) => this.logger.error(`Queue pass failed: ${(error as Error).message}`))
      .finally(() => {
        if (this.running === running) this.running = null;
      });
    this.running = running;
    return running;
  }

  private async pass(now: Date): Promise<void> {
    const settled = await this.queue.settleFromRecords(now);
    for (const entry of settled.answered) this.logger.log(`${entry.answeredBy} answered queued ${entry.customerCallSid}`);
    for (const entry of settled.abandoned) this.logger.log(`Queued ${entry.customerCallSid} hung up before an agent answered`);
    const stale = await this.queue.returnStaleOffers(new Date(now.getTime() - this.config.calls.dialTimeoutSeconds * 1000 - STALE_OFFER_GRACE_MS));
    const voicemail = await this.sendExpiredToVoicemail(now);
    const open = await this.queue.listOpen();
    this.openCalls = new Set(open.map((entry) => entry.customerCallSid));
    const offered = await this.offerWaiting(open.filter((entry) => entry.state === 'waiting'), now);
    if (settled.answered.length + settled.abandoned.length + stale.length + voicemail + offered > 0) await this.publish(now);
  }

  private async sendExpiredToVoicemail(now: Date): Promise<number> {
    const maxWaitSeconds = this.config.floor.queueMaxWaitSeconds;
    const claimed = await this.queue.claimExpired(new Date(now.getTime() - maxWaitSeconds * 1000), now, VOICEMAIL_BATCH);
    for (const entry of claimed) {
      try {
        await this.commands.redirectCall(entry.customerCallSid, { path: WEBHOOK_ROUTES.dialComplete, query: ANCHOR_UNANSWERED_QUERY });
        this.logger.log(`${entry.customerCallSid} waited ${maxWaitSeconds} s in the queue: sent to voicemail`);
      } catch (error) {
        const failure = error instanceof ConferenceCommandError ? error.failure : 'unexpected';
        if (failure === 'call-gone' || failure === 'not-connected') {
          await this.queue.abandonClaimed(entry.customerCallSid, now);
          continue;
        }
        this.logger.error(`Could not send queued ${entry.customerCallSid} to voicemail: ${(error as Error).message}`);
        if (error instanceof ConferenceCommandError && error.retryable) await this.queue.reopenClaimed(entry.customerCallSid);
      }
    }
    return claimed.length;
  }

  /** Oldest call first, each to its first eligible member not yet tried; an agent gets one offer per pass. */
  private async offerWaiting(waiting: readonly QueueEntry[], now: Date): Promise<number> {
    if (waiting.length === 0) return 0;
    if (!this.eligibility) {
      if (!this.warnedNoEligibility) this.logger.warn('No AgentEligibility (presence) in this app: queued calls are offered to nobody');
      this.warnedNoEligibility = true;
      return 0;
    }
    const busy = new Set<string>();
    let offered = 0;
    for (const entry of waiting) {
      const untried = entry.members.filter((identity) => !entry.tried.includes(identity) && !busy.has(identity));
      if (untried.length === 0) continue;
      const { eligible } = await this.eligibility.eligible(untried, now);
      for (const { identity } of eligible) {
        const offer = await this.queue.offer(entry.customerCallSid, identity, now);
        busy.add(identity);
        if (!offer) continue;
        offered++;
        this.ring(offer, identity);
        break;
      }
    }
    return offered;
  }

  private ring(entry: QueueEntry, identity: string): void {
    const customerCallSid = entry.customerCallSid;
    this.logger.log(`Queued ${customerCallSid} offered to ${identity}`);
    this.ringing.start({
      customerCallSid,
      customerNumber: entry.customerNumber,
      identities: [identity],
      timeoutSeconds: this.config.calls.dialTimeoutSeconds,
      onUnanswered: async () => {
        const back = await this.queue.returnToWaiting(customerCallSid, identity);
        if (!back) return;
        this.logger.log(`${identity} did not answer queued ${customerCallSid}: back to waiting`);
        await this.publish(new Date());
        void this.tick();
      },
    }).catch((error: unknown) => this.logger.error(`Ringing ${identity} for queued ${customerCallSid} failed: ${(error as Error).message}`));
  }

  /** A callback about a queued caller's conference or call: settle it now rather than at the next tick. */
  private onNotice(notice: CallProgressNotice): void {
    if (notice.kind === 'call-status') {
      if (this.openCalls.has(notice.callSid)) void this.tick();
      return;
    }
    const customerCallSid = anchoredCallOf(notice.friendlyName);
    if (customerCallSid === null || !this.openCalls.has(customerCallSid)) return;
    const agentJoined = notice.event === 'participant-join' && clientIdentity(notice.label ?? undefined) !== undefined;
    const customerLeft = notice.event === 'participant-leave' && notice.label === CUSTOMER_LABEL;
    if (agentJoined || customerLeft || notice.event === 'conference-end') void this.tick();
  }

  private async publish(now: Date): Promise<void> {
    if (!this.publisher) return;
    try {
      const queue = await this.queue.waiting(now);
      const event: FloorQueueEvent = {
        queue,
        longestWaitSeconds: queue.length === 0 ? null : Math.max(0, Math.floor((now.getTime() - Date.parse(queue[0].enqueuedAt)) / 1000)),
      };
      await this.publisher.publish(FLOOR_EVENTS.queue, event, { supervisors: true });
    } catch (error) {
      this.logger.error(`Could not publish the queue: ${(error as Error).message}`);
    }
  }
}
