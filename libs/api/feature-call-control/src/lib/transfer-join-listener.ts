import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TransfersRepository, type TransferRecord } from '@switchboard/api-data-access-db';
import { CallProgressEvents, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import { clientAddress } from '@switchboard/shared-contracts';
import { ColdTransfers } from './cold-transfers.service';
import { TRANSFER_NUMBER_LABEL } from './transfer-targets';

type ConferenceNotice = Extract<CallProgressNotice, { kind: 'conference' }>;

/**
 * A transfer target joining the conference answers the transfer as its call's `in-progress` does:
 * whichever of the two is stored first moves the transfer on, the other then changes nothing (the leg
 * is already in progress). Listens to CallProgressEvents, which the conference callback processor
 * publishes once per newly stored event, so feature-conferences needs no hook of its own.
 */
@Injectable()
export class TransferJoinListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('TransferJoinListener');
  private stopListening: (() => void) | null = null;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly transfers: TransfersRepository,
    private readonly coldTransfers: ColdTransfers,
    @Optional() private readonly progress?: CallProgressEvents,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.progress?.listen((notice) => {
      if (notice.kind !== 'conference' || notice.event !== 'participant-join' || notice.callSid === null) return;
      const task = this.onJoin(notice).catch((error: unknown) => {
        this.logger.error(`Transfer join of ${notice.callSid} not applied: ${(error as Error).message}`);
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
}

/** A leg the transfer dialled: known by its CallSid, or (its dial not yet recorded) by the label it was dialled with. */
function isTargetLeg(transfer: TransferRecord, callSid: string, label: string | null): boolean {
  if (transfer.targetLegs[callSid] !== undefined) return true;
  if (transfer.targetKind === 'number') return label === TRANSFER_NUMBER_LABEL;
  return transfer.targetKind === 'agent' && label === clientAddress(transfer.targetValue);
}
