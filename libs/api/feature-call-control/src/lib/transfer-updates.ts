import { Injectable, Logger, Optional } from '@nestjs/common';
import { TransfersRepository, type TransferChange, type TransferRecord } from '@switchboard/api-data-access-db';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { CALL_CONTROL_EVENTS, type CallTransferEvent, type TransferStatus } from '@switchboard/shared-contracts';

/**
 * The status the first agent is told (events and HTTP answers): a transfer that came back with a reason
 * says why (no-answer, declined, busy, failed), since "the caller is back" alone leaves the agent guessing;
 * 'returned-to-you' only when there is none (a consult's target hung up while the agents talked).
 */
export const agentStatusOf = (transfer: TransferRecord): TransferStatus =>
  transfer.status === 'returned-to-you' && transfer.missReason !== null ? transfer.missReason : transfer.status;

/** A transfer as the first agent's softphone learns of it: addressed by the leg it knows (its own). */
export const toTransferEvent = (transfer: TransferRecord): CallTransferEvent => ({
  callSid: transfer.fromCallSid, transferId: transfer.transferId, mode: transfer.mode, status: agentStatusOf(transfer), targetDisplay: transfer.targetDisplay,
});

/**
 * Every write of a transfer's status goes through here, so the first agent is told of each change of the
 * status it reads (`call.transfer`, agentStatusOf) exactly once: by the request or callback whose locked
 * update made it, on whichever instance that ran. A duplicate or out-of-order callback changes nothing and
 * publishes nothing; nor does a missed transfer's move to voicemail (returned-to-you with no-answer, then
 * no-answer), which the agent has already been told.
 * A failed publish is logged; the transfer goes on (the softphone also has the HTTP answers).
 */
@Injectable()
export class TransferUpdates {
  private readonly logger = new Logger('TransferUpdates');

  constructor(private readonly transfers: TransfersRepository, @Optional() private readonly publisher?: LiveEventPublisher) {}

  /** TransfersRepository.update, then the event if the status the agent reads moved. */
  async update(
    transferId: string, decide: (current: TransferRecord) => TransferChange | null,
  ): Promise<{ before: TransferRecord; after: TransferRecord } | undefined> {
    const changed = await this.transfers.update(transferId, decide);
    if (changed && agentStatusOf(changed.before) !== agentStatusOf(changed.after)) await this.publish(changed.after);
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
