import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TransfersRepository, type TransferRecord } from '@switchboard/api-data-access-db';
import { CallProgressEvents, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import { clientAddress } from '@switchboard/shared-contracts';
import { ColdTransfers } from './cold-transfers.service';
import { ConsultTransfers } from './consult-transfers.service';
import { isOpenConsult } from './transfer-decisions';
import { TRANSFER_NUMBER_LABEL } from './transfer-targets';

type ConferenceNotice = Extract<CallProgressNotice, { kind: 'conference' }>;

/**
 * A transfer target joining the conference answers the transfer as its call's `in-progress` does:
 * whichever of the two is stored first moves the transfer on, the other then changes nothing (the leg
 * is already in progress). Leaving an open consult ends it the same way: the target's leave as its call's
 * `completed` (the customer comes back to the first agent), the first agent's leave completes it (the
 * customer is resumed with the target). Listens to CallProgressEvents, which the conference callback
 * processor publishes once per newly stored event, so feature-conferences needs no hook of its own.
 */
@Injectable()
export class TransferJoinListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('TransferJoinListener');
  private stopListening: (() => void) | null = null;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly transfers: TransfersRepository,
    private readonly coldTransfers: ColdTransfers,
    private readonly consults: ConsultTransfers,
    @Optional() private readonly progress?: CallProgressEvents,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.progress?.listen((notice) => {
      if (notice.kind !== 'conference' || notice.callSid === null) return;
      const apply = notice.event === 'participant-join' ? this.onJoin(notice) : notice.event === 'participant-leave' ? this.onLeave(notice) : null;
      if (apply === null) return;
      const task = apply.catch((error: unknown) => {
        this.logger.error(`Transfer ${notice.event} of ${notice.callSid} not applied: ${(error as Error).message}`);
      });
      this.running.add(task);
      void task.finally(() => this.running.delete(task));
    }) ?? null;
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** Resolves once every join seen so far has been applied (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  async onJoin(notice: ConferenceNotice): Promise<void> {
    const callSid = notice.callSid;
    if (callSid === null) return;
    const ringing = await this.transfers.findRinging(notice.conferenceSid);
    if (!ringing || !isTargetLeg(ringing, callSid, notice.label)) return;
    await this.coldTransfers.onLegStatus(ringing.transferId, callSid, 'in-progress');
  }

  async onLeave(notice: ConferenceNotice): Promise<void> {
    const callSid = notice.callSid;
    if (callSid === null) return;
    const latest = await this.transfers.latest(notice.conferenceSid);
    if (!latest || !isOpenConsult(latest)) return;
    if (callSid === latest.answeredCallSid) await this.coldTransfers.onLegStatus(latest.transferId, callSid, 'completed');
    else if (callSid === latest.fromCallSid) await this.consults.firstAgentLeft(latest);
  }
}

/** A leg the transfer dialled: known by its CallSid, or (its dial not yet recorded) by the label it was dialled with. */
function isTargetLeg(transfer: TransferRecord, callSid: string, label: string | null): boolean {
  if (transfer.targetLegs[callSid] !== undefined) return true;
  if (transfer.targetKind === 'number') return label === TRANSFER_NUMBER_LABEL;
  return transfer.targetKind === 'agent' && label === clientAddress(transfer.targetValue);
}
