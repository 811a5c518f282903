import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CallsRepository, ConferencesRepository, TransfersRepository, type TransferRecord } from '@switchboard/api-data-access-db';
import {
  ConferenceCommandError, ConferenceCommands, type ConferenceEventName, type MediaSource, type WebhookTarget,
} from '@switchboard/api-data-access-telephony';
import { WEBHOOK_ROUTES, type TransferRequest, type TransferResponse } from '@switchboard/shared-contracts';
import { CallControlException, callGone } from './call-control-errors';
import { CallControl } from './call-control.service';
import { ConsultTransfers } from './consult-transfers.service';
import { applyLegStatus, dialFailed, isLegEnded, registerLeg } from './transfer-decisions';
import { TransferMoves } from './transfer-moves';
import { TransferTargets, type TransferDials } from './transfer-targets';
import { agentStatusOf, TransferUpdates } from './transfer-updates';

/** A target leg's call status callback: signed, with the transfer it belongs to in the query. */
export const TRANSFER_STATUS_ROUTE = WEBHOOK_ROUTES.transferStatus;

/** The conference events every participant the API adds reports (the record is built from them). */
const CONFERENCE_EVENTS: readonly ConferenceEventName[] = ['start', 'end', 'join', 'leave', 'hold', 'mute'];

/**
 * A ringing transfer whose legs' callbacks were all lost would block the call's transfers for good: past
 * the ring timeout and this margin it is marked failed when the next transfer is asked for.
 */
const STALE_MARGIN_SECONDS = 120;

/**
 * Where a transfer's customer ends up if the first agent has gone when nobody answered: the `<Dial action>`
 * webhook, which plans the routed target's voicemail for a call with nobody to take it (CallPlanner.planDialComplete).
 */
const VOICEMAIL_TWIML: WebhookTarget = { path: WEBHOOK_ROUTES.dialComplete };

/**
 * Transfer of an anchored customer call (issue 12), cold or consult: the customer is held (music) while the
 * target rings as a new participant of the same conference. Cold: the first answer removes the first agent
 * and resumes the customer. Consult: the answer only lets the agents talk; ConsultTransfers takes it from
 * there. When every target leg ends unanswered (or a consult's target hangs up) the customer is resumed with
 * the first agent, or sent to the routed target's voicemail if the first agent has left. The transfer record
 * (TransfersRepository) is the only state, so any instance can move it on; TransferUpdates tells the first
 * agent of each status it stores.
 */
@Injectable()
export class ColdTransfers {
  private readonly logger = new Logger('ColdTransfers');

  constructor(
    private readonly control: CallControl,
    private readonly targets: TransferTargets,
    private readonly transfers: TransfersRepository,
    private readonly updates: TransferUpdates,
    private readonly moves: TransferMoves,
    private readonly consults: ConsultTransfers,
    private readonly conferences: ConferencesRepository,
    private readonly calls: CallsRepository,
    private readonly commands: ConferenceCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async transfer(identity: string, callSid: string, request: TransferRequest): Promise<TransferResponse> {
    return this.control.guarded(async () => {
      const authorized = await this.control.authorize(identity, callSid);
      if (authorized === 'direct') {
        throw new CallControlException(HttpStatus.CONFLICT, 'target-unavailable', 'This call is not anchored in a conference, so it cannot be transferred');
      }
      const { anchor, current } = authorized;
      const customer = anchor.anchorCallSid;
      if (customer === null || !current.some((p) => p.callSid === customer)) throw callGone('The caller is no longer on this call');
      const fromLeg = current.find((p) => p.agentIdentity === identity && p.callSid !== customer);
      if (!fromLeg) throw callGone();
      const staleAfterSeconds = this.config.calls.dialTimeoutSeconds + STALE_MARGIN_SECONDS;
      if (await this.transfers.findOpen(anchor.conferenceSid, staleAfterSeconds)) throw alreadyRinging();

      const transferId = randomUUID();
      const dials = await this.targets.resolve(identity, request.target, current, transferId);
      const created = await this.transfers.create({
        transferId, conferenceSid: anchor.conferenceSid, customerCallSid: customer, fromIdentity: identity, fromCallSid: fromLeg.callSid,
        targetKind: request.target.kind, targetValue: dials.targetValue, targetDisplay: dials.targetDisplay, mode: request.mode,
        expectedLegs: dials.legs.length, capKey: dials.capKey,
      }, staleAfterSeconds).catch(async (error: unknown) => {
        await this.targets.release(dials.capKey);
        throw error;
      });
      if (created === 'active-exists') {
        await this.targets.release(dials.capKey);
        throw alreadyRinging();
      }
      this.logger.log(`${identity} starts a ${request.mode} transfer of the caller of ${anchor.conferenceSid} to ${request.target.kind} (transfer ${transferId})`);
      await this.updates.created(created);
      const after = await this.ring(created, dials);
      // A transfer that already came back (nothing could be dialled) answers why, as its event does.
      return { callSid, transferId, mode: request.mode, status: agentStatusOf(after), targetDisplay: after.targetDisplay };
    });
  }

  /** A target leg's call status callback (signed, any instance, any order, maybe twice). */
  async onLegStatus(transferId: string, callSid: string, status: string): Promise<void> {
    const changed = await this.updates.update(transferId, (current) => applyLegStatus(current, callSid, status));
    if (!changed) {
      this.logger.warn(`Status ${status} of ${callSid} names unknown transfer ${transferId}; ignored`);
      return;
    }
    await this.settle(changed.before, changed.after, callSid);
  }

  /**
   * Holds the customer (Twilio's cold-transfer pattern: music while the target rings) and dials every
   * target leg. A refused dial counts as a leg that failed; if none could be placed the transfer returns
   * at once. A hold that fails (the customer left) fails the transfer before anything is dialled.
   */
  private async ring(transfer: TransferRecord, dials: TransferDials): Promise<TransferRecord> {
    const music: MediaSource | undefined = this.config.calls.holdMusicUrl === null ? undefined : { absoluteUrl: this.config.calls.holdMusicUrl };
    try {
      await this.commands.setHold(transfer.conferenceSid, transfer.customerCallSid, true, music);
    } catch (error) {
      await this.updates.update(transfer.transferId, () => ({ status: 'failed', missReason: 'failed', outcome: 'returned' }));
      await this.targets.release(transfer.capKey);
      throw error;
    }
    const from = await this.callerIdFor(transfer);
    const failures: ConferenceCommandError[] = [];
    await Promise.all(dials.legs.map(async (leg) => {
      try {
        const placed = await this.commands.addParticipant({
          conference: { sid: transfer.conferenceSid }, to: leg.to, from, label: leg.label,
          timeoutSeconds: this.config.calls.dialTimeoutSeconds, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false,
          // A number is an outbound call we pay for: the same cap as an agent's own phone call.
          ...(transfer.targetKind === 'number' ? { timeLimitSeconds: this.config.outboundLimits.callTimeLimitSeconds } : {}),
          callStatusCallback: { path: TRANSFER_STATUS_ROUTE, query: { transfer: transfer.transferId } },
          conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus }, conferenceEvents: CONFERENCE_EVENTS,
        });
        await this.transfers.update(transfer.transferId, (current) => registerLeg(current, placed.callSid));
      } catch (error) {
        if (!(error instanceof ConferenceCommandError)) throw error;
        this.logger.warn(`Transfer ${transfer.transferId}: dialling ${leg.label} failed (${error.failure}: ${error.message})`);
        failures.push(error);
      }
    }));
    if (failures.length > 0) {
      const changed = await this.updates.update(transfer.transferId, (current) => dialFailed(current, failures.length));
      if (changed) await this.settle(changed.before, changed.after);
      // Nothing rings: the agent should hear why rather than read a transfer that already came back.
      if (failures.length === dials.legs.length && failures.some((failure) => failure.failure === 'telephony-unavailable')) throw failures[0];
    }
    return (await this.transfers.find(transfer.transferId)) ?? transfer;
  }

  /** Acts on a transition once, by the callback (or request) that stored it. Telephony failures here are logged, not thrown. */
  private async settle(before: TransferRecord, after: TransferRecord, callSid?: string): Promise<void> {
    const { conferenceSid, customerCallSid } = after;
    if (callSid !== undefined && after.targetKind === 'number' && isLegEnded(after.targetLegs[callSid])) await this.targets.release(after.capKey);
    if (before.status === 'ringing-target' && after.status === 'answered') {
      await this.moves.cancelTargetLegs(after, after.answeredCallSid);
      if (after.mode === 'consult') {
        await this.consults.answered(after);
        return;
      }
      this.logger.log(`Transfer ${after.transferId} answered by ${after.answeredCallSid}: ${after.fromIdentity} leaves ${conferenceSid}`);
      await this.moves.quietly('remove the first agent', () => this.commands.removeParticipant(conferenceSid, after.fromCallSid));
      await this.moves.resumeCustomer(after);
      return;
    }
    // Nobody answered, or a consult's target hung up while the agents talked.
    if (before.status !== after.status && after.status === 'returned-to-you') {
      await this.targets.release(after.capKey);
      const firstAgentThere = (await this.conferences.currentParticipants(conferenceSid)).some((p) => p.callSid === after.fromCallSid);
      if (firstAgentThere) {
        this.logger.log(`Transfer ${after.transferId} ${after.missReason ?? 'ended by its target'}: the caller is back with ${after.fromIdentity}`);
        await this.moves.resumeCustomer(after);
        return;
      }
      this.logger.log(`Transfer ${after.transferId} missed (${after.missReason}) and ${after.fromIdentity} has left: the caller goes to voicemail`);
      await this.updates.update(after.transferId, (current) => ({ status: current.missReason ?? 'failed', outcome: 'voicemail' }));
      await this.moves.quietly('send the caller to voicemail', () => this.commands.redirectCall(customerCallSid, VOICEMAIL_TWIML));
      return;
    }
    // A leg answering after another won (ring group), or after the transfer came back or was cancelled: it must not stay in the call.
    if (callSid !== undefined && after.targetLegs[callSid] === 'in-progress' && before.targetLegs[callSid] !== 'in-progress' && callSid !== after.answeredCallSid) {
      this.logger.log(`Transfer ${after.transferId}: ${callSid} answered too late; removed`);
      await this.moves.removeLeg(after, callSid, `remove late leg ${callSid}`);
    }
  }

  /** A colleague's softphone shows the customer's number when it is one; a phone number sees ours. */
  private async callerIdFor(transfer: TransferRecord): Promise<string> {
    if (transfer.targetKind === 'number') return this.config.twilio.callerId;
    const record = await this.calls.findBySid(transfer.customerCallSid);
    const customer = record === undefined ? null : record.direction === 'inbound' ? record.from : record.to;
    return customer !== null && /^\+[1-9]\d{1,14}$/.test(customer) ? customer : this.config.twilio.callerId;
  }
}

const alreadyRinging = () => new CallControlException(HttpStatus.CONFLICT, 'target-unavailable', 'A transfer or consult of this call is already under way');
