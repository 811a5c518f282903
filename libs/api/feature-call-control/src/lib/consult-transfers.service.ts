import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ConferencesRepository, TransfersRepository, type TransferRecord } from '@switchboard/api-data-access-db';
import type { ConsultAction, ConsultActionResponse } from '@switchboard/shared-contracts';
import { CallControlException, callGone } from './call-control-errors';
import { CallControl } from './call-control.service';
import { CONSULT_OUTCOMES, consultAction, isOpenConsult } from './transfer-decisions';
import { TransferMoves } from './transfer-moves';
import { TransferTargets } from './transfer-targets';
import { TransferUpdates } from './transfer-updates';

const WHAT_IS_MISSING: Readonly<Record<ConsultAction, string>> = {
  complete: 'There is no answered consult of yours to complete',
  cancel: 'There is no ringing transfer or consult of yours to cancel',
  'three-way': 'There is no answered consult of yours to join into a three-way call',
};

const nothingToAct = (action: ConsultAction) => new CallControlException(HttpStatus.CONFLICT, 'target-unavailable', WHAT_IS_MISSING[action]);

/**
 * Warm transfer (consult, issue 12). ColdTransfers starts it like a cold transfer (the customer held with
 * music, the target dialled into the same conference) but its answer leaves the first agent in: the two
 * agents talk while the customer hears only the music. The first agent then completes it (leaves; the
 * customer is resumed with the target), cancels it (the target's legs are cancelled or its leg removed; the
 * customer is resumed with the first agent; also withdraws a cold transfer still ringing) or makes it
 * three-way (the customer is resumed; everyone stays). The transfer record is the only state: an action is
 * first stored under the record's lock (so of two requests, or a request and a callback, exactly one moves
 * it), then carried out by the request that stored it.
 */
@Injectable()
export class ConsultTransfers {
  private readonly logger = new Logger('ConsultTransfers');

  constructor(
    private readonly control: CallControl,
    private readonly transfers: TransfersRepository,
    private readonly updates: TransferUpdates,
    private readonly moves: TransferMoves,
    private readonly targets: TransferTargets,
    private readonly conferences: ConferencesRepository,
  ) {}

  /** `POST /api/calls/{callSid}/consult/{action}` for the agent in the call who started the transfer. */
  async act(identity: string, callSid: string, action: ConsultAction): Promise<ConsultActionResponse> {
    return this.control.guarded(async () => {
      const authorized = await this.control.authorize(identity, callSid);
      if (authorized === 'direct') throw nothingToAct(action);
      const { anchor, current } = authorized;
      const customer = anchor.anchorCallSid;
      if (customer === null || !current.some((p) => p.callSid === customer)) throw callGone('The caller is no longer on this call');
      // An open transfer is always the conference's newest. Only the agent who started it acts on it: the
      // consulted colleague is a participant too, but finishing the consult is not theirs to do.
      const latest = await this.transfers.latest(anchor.conferenceSid);
      if (!latest || latest.fromIdentity !== identity) throw nothingToAct(action);
      const changed = await this.updates.update(latest.transferId, (transfer) => consultAction(transfer, action));
      if (!changed) throw nothingToAct(action);
      const { before, after } = changed;
      if (before === after) {
        // The same action again (a retried request): answered alike, nothing done twice.
        if (after.outcome !== CONSULT_OUTCOMES[action]) throw nothingToAct(action);
      } else {
        await this.carryOut(action, before, after);
      }
      if (action === 'complete') return { callSid, action, participants: [] };
      return { callSid, action, participants: (await this.control.participants(identity, callSid)).participants };
    });
  }

  /**
   * The consult's target answered (ColdTransfers stored it): the agents talk. If the first agent left while
   * it rang, nobody would ever finish it, so it completes at once.
   */
  async answered(transfer: TransferRecord): Promise<void> {
    const current = await this.conferences.currentParticipants(transfer.conferenceSid);
    if (current.some((p) => p.callSid === transfer.fromCallSid)) {
      this.logger.log(`Consult ${transfer.transferId} answered by ${transfer.answeredCallSid}: ${transfer.fromIdentity} talks to the target, the caller held`);
      return;
    }
    await this.firstAgentLeft(transfer);
  }

  /**
   * The first agent's leg left an open consult (hung up, dropped, or the page went): the customer is not
   * left on hold with nobody to finish it; the consult completes and the customer is resumed with the target.
   */
  async firstAgentLeft(transfer: TransferRecord): Promise<void> {
    const changed = await this.updates.update(transfer.transferId, (current) =>
      (isOpenConsult(current) && current.fromCallSid === transfer.fromCallSid ? { outcome: 'completed' } : null));
    if (!changed || changed.before === changed.after) return;
    this.logger.log(`Consult ${transfer.transferId}: ${transfer.fromIdentity} left; the caller is resumed with the target`);
    await this.moves.resumeCustomer(changed.after);
  }

  private async carryOut(action: ConsultAction, before: TransferRecord, after: TransferRecord): Promise<void> {
    this.logger.log(`${after.fromIdentity}: ${action} of ${after.mode} transfer ${after.transferId} (was ${before.status})`);
    switch (action) {
      case 'complete':
        await this.moves.removeLeg(after, after.fromCallSid, 'remove the first agent');
        break;
      case 'three-way':
        break;
      case 'cancel':
        if (before.status === 'ringing-target') {
          // A leg that answers across the cancel is removed when its in-progress arrives (ColdTransfers.settle).
          await this.moves.cancelTargetLegs(after);
          await this.targets.release(after.capKey);
        } else if (after.answeredCallSid !== null) {
          await this.moves.removeLeg(after, after.answeredCallSid, 'remove the consulted target');
        }
        break;
    }
    await this.moves.resumeCustomer(after);
  }
}
