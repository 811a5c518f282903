import { Injectable, Logger, Optional } from '@nestjs/common';
import { TransfersRepository, type TransferChange, type TransferRecord } from '@switchboard/api-data-access-db';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { CALL_CONTROL_EVENTS, type CallTransferEvent } from '@switchboard/shared-contracts';

/** A transfer as the first agent's softphone learns of it: addressed by the leg it knows (its own). */
export const toTransferEvent = (transfer: TransferRecord): CallTransferEvent => ({
  callSid: transfer.fromCallSid, transferId: transfer.transferId, mode: transfer.mode, status: transfer.status, targetDisplay: transfer.targetDisplay,
});

/**
 * Every write of a transfer's status goes through here, so the first agent is told of each stored status
 * change (`call.transfer`) exactly once: by the request or callback whose locked update made it, on
 * whichever instance that ran. A duplicate or out-of-order callback changes nothing and publishes nothing.
 * A failed publish is logged; the transfer goes on (the softphone also has the HTTP answers).
 */
@Injectable()
export class TransferUpdates {
  private readonly logger = new Logger('TransferUpdates');

  constructor(private readonly transfers: TransfersRepository, @Optional() private readonly publisher?: LiveEventPublisher) {}

  /** TransfersRepository.update, then the event if the status moved. */
  async update(
    transferId: string, decide: (current: TransferRecord) => TransferChange | null,
  ): Promise<{ before: TransferRecord; after: TransferRecord } | undefined> {
    const changed = await this.transfers.update(transferId, decide);
    if (changed && changed.before.status !== changed.after.status) await this.publish(changed.after);
    return changed;
  }

  /** A transfer just stored: its first status (ringing-target). */
  async created(transfer: TransferRecord): Promise<void> {
    await this.publish(transfer);
  }

  private async publish(transfer: TransferRecord): Promise<void> {
    if (!this.publisher) return;
    try {
      await this.publisher.publish(CALL_CONTROL_EVENTS.transfer, toTransferEvent(transfer), { agents: [transfer.fromIdentity] });
    } catch (error) {
      this.logger.warn(`call.transfer ${transfer.status} of ${transfer.transferId} not published: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
