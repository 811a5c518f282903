import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallbackInboxRepository, CallsRepository } from '@switchboard/api-data-access-db';
import { CallFetcher } from '@switchboard/api-data-access-telephony';
import { isCallStatus, isTerminalCallStatus } from '@switchboard/shared-contracts';
import { CallbackProcessor } from './callback-processor';

/** Rows or calls handled per pass; a larger backlog is finished by the following passes. */
const BATCH = 100;
/** A pending callback younger than this is most likely still being processed by its own request. */
const PENDING_MIN_AGE_SECONDS = 30;
/** A claimed callback another instance failed to finish is claimed again after this long. */
const CALLBACK_LEASE_SECONDS = 120;

export interface ReconcilePass {
  readonly callbacksProcessed: number;
  readonly callsClosed: number;
}

/**
 * Makes lost or half-done callbacks good. At start-up it processes every callback left pending (the
 * previous process died between writing and processing one); then, every RECONCILE_INTERVAL_SECONDS,
 * it does so again for pending rows and fetches from the REST API each call still not terminal
 * RECONCILE_AFTER_SECONDS after it started, closing it with the provider's final status.
 *
 * Several API instances may run this at once: every row and call is claimed with FOR UPDATE SKIP
 * LOCKED and a lease, so each is handled by one instance at a time; processing is idempotent anyway.
 */
@Injectable()
export class CallReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CallReconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly calls: CallsRepository,
    private readonly processor: CallbackProcessor,
    private readonly provider: CallFetcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Before the first request: nothing a previous life stored is left waiting for the first tick.
    await this.guarded(() => this.processPendingCallbacks(0));
    const intervalSeconds = this.config.resilience.reconcileIntervalSeconds;
    if (intervalSeconds === 0) return;
    this.timer = setInterval(() => {
      this.running = this.guarded(() => this.runOnce());
    }, intervalSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running; // the database closes after this
  }

  /** One pass: pending callbacks first (they may close calls), then stale calls. */
  async runOnce(): Promise<ReconcilePass> {
    const callbacksProcessed = await this.processPendingCallbacks(PENDING_MIN_AGE_SECONDS);
    const callsClosed = await this.closeStaleCalls();
    return { callbacksProcessed, callsClosed };
  }

  /** Processes pending callbacks at least `minAgeSeconds` old; returns how many were processed. */
  async processPendingCallbacks(minAgeSeconds: number): Promise<number> {
    let processed = 0;
    for (;;) {
      const rows = await this.inbox.claimPending(minAgeSeconds, CALLBACK_LEASE_SECONDS, BATCH);
      for (const row of rows) {
        try {
          await this.processor.processStored(row);
          processed++;
        } catch (error) {
          this.logger.warn(`Pending callback ${row.id} (${row.kind}) failed again: ${(error as Error).message}`);
        }
      }
      if (rows.length < BATCH) break;
    }
    if (processed > 0) this.logger.log(`Processed ${processed} pending callback(s)`);
    return processed;
  }

  /** Fetches calls non-terminal past the threshold and closes those the provider has ended. */
  async closeStaleCalls(): Promise<number> {
    const { reconcileAfterSeconds } = this.config.resilience;
    // A call still live at the provider is looked at again one threshold later.
    const stale = await this.calls.claimStale(reconcileAfterSeconds, reconcileAfterSeconds, BATCH);
    let closed = 0;
    for (const call of stale) {
      try {
        if (await this.reconcile(call.callSid, call.direction)) closed++;
      } catch (error) {
        this.logger.warn(`Call ${call.callSid} could not be reconciled: ${(error as Error).message}`);
      }
    }
    if (closed > 0) this.logger.log(`Closed ${closed} call(s) whose final status callback was lost`);
    return closed;
  }

  private async reconcile(callSid: string, direction: 'inbound' | 'outbound'): Promise<boolean> {
    const remote = await this.provider.fetch(callSid);
    // The provider keeps calls for months: one it does not know was never placed, or not by this account.
    const status = remote === null ? 'failed' : remote.status;
    if (!isCallStatus(status) || !isTerminalCallStatus(status)) return false;
    const at = remote?.endedAt ?? new Date();
    // Stored as an event of its own (sequence "reconciler"), so a late genuine callback is still kept.
    await this.calls.applyStatusEvent({
      callSid,
      callStatus: status,
      sequenceNumber: 'reconciler',
      payload: remote === null
        ? { CallSid: callSid, CallStatus: status, Source: 'reconciler: the REST API has no such call' }
        : { CallSid: callSid, CallStatus: status, Source: 'reconciler: REST Calls/{sid}', CallDuration: String(remote.durationSeconds ?? '') },
      from: null,
      to: null,
      direction,
      durationSeconds: remote?.durationSeconds ?? null,
      at,
    });
    this.logger.warn(`Call ${callSid} closed as ${status} by the reconciler (its final status callback never arrived)`);
    return true;
  }

  /** A pass that fails (the database is down) is logged and tried again at the next tick. */
  private async guarded<T>(pass: () => Promise<T>): Promise<T | undefined> {
    try {
      return await pass();
    } catch (error) {
      this.logger.warn(`Reconciliation pass failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}
