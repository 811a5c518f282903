import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  CallbackInboxRepository, CallsRepository, RoutingRepository, UNASSIGNED_VOICEMAIL_TARGET, VoicemailsRepository,
  type CallbackKind, type PendingCallback,
} from '@switchboard/api-data-access-db';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { clientIdentity, formParam } from '@switchboard/shared-contracts';
import { isE164 } from '@switchboard/shared-util-phone';
import { eventTime, optionalDigits } from './callback-params';

/**
 * Applies a stored callback to the call records and voicemails. Called by the callback's own request
 * right after it was written to the inbox, and by the sweep for rows left pending; both are safe to
 * repeat (events and voicemails have unique keys, a call only moves forward). Parameters were
 * validated before the row was written.
 */
@Injectable()
export class CallbackProcessor {
  private readonly logger = new Logger('CallbackProcessor');

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly calls: CallsRepository,
    private readonly voicemails: VoicemailsRepository,
    private readonly routing: RoutingRepository,
    @Optional() private readonly progress?: CallProgressEvents,
  ) {}

  /** Processes the inbox row and marks it done; a failure leaves it pending (and counted) for the sweep. */
  async processStored(row: PendingCallback): Promise<void> {
    try {
      await this.apply(row.kind, row.params, row.query);
    } catch (error) {
      await this.inbox.markFailed(row.id, (error as Error).message).catch(() => undefined);
      throw error;
    }
    await this.inbox.markProcessed(row.id);
  }

  private apply(kind: CallbackKind, params: Record<string, string>, query: Record<string, string>): Promise<void> {
    return kind === 'status' ? this.applyStatus(params) : this.applyRecording(params, query);
  }

  private async applyStatus(params: Record<string, string>): Promise<void> {
    const callSid = params['CallSid'];
    const callStatus = params['CallStatus'];
    const sequence = optionalDigits(params, 'SequenceNumber');
    const outcome = await this.calls.applyStatusEvent({
      callSid,
      callStatus,
      sequenceNumber: sequence === null ? '' : String(sequence),
      payload: params,
      from: formParam(params, 'From', 128) ?? null,
      to: formParam(params, 'To', 128) ?? null,
      direction: params['Direction'] === 'inbound' ? 'inbound' : 'outbound',
      durationSeconds: optionalDigits(params, 'CallDuration'),
      at: eventTime(params),
    });
    if (outcome === 'duplicate') this.logger.log(`Duplicate status ${callStatus} for ${callSid} ignored`);
    else this.progress?.publish({ kind: 'call-status', callSid, callStatus });
  }

  /**
   * A recording becomes a voicemail for the call's target. When the call record is missing (its
   * webhook answered safe TwiML while the database was down), the number the caller dialled, carried
   * in the recording callback's URL, names the target through today's route; failing that, the
   * supervisors' unassigned inbox. The message is never dropped.
   */
  private async applyRecording(params: Record<string, string>, query: Record<string, string>): Promise<void> {
    const recordingSid = params['RecordingSid'];
    const callSid = params['CallSid'];
    const status = params['RecordingStatus'];
    const duration = optionalDigits(params, 'RecordingDuration') ?? 0;
    if (status !== 'completed' || duration === 0) {
      this.logger.log(`Recording ${recordingSid} is ${status} (${duration} s): no voicemail`);
      return;
    }
    const call = await this.calls.findBySid(callSid);
    const calledTarget = call?.voicemailTarget ?? await this.targetOfDialled(query['to']);
    if (calledTarget === UNASSIGNED_VOICEMAIL_TARGET) {
      this.logger.warn(`Recording ${recordingSid} of ${call ? 'unrouted' : 'unknown'} call ${callSid} stored in the unassigned voicemail inbox`);
    }
    const isNew = await this.voicemails.insertOnce({
      recordingSid, callSid, recordingUrl: params['RecordingUrl'], from: call?.from || query['from'] || 'anonymous', calledTarget, durationSeconds: duration,
    });
    if (!isNew) this.logger.log(`Duplicate recording callback for ${recordingSid} ignored`);
  }

  private async targetOfDialled(dialled: string | undefined): Promise<string> {
    if (dialled === undefined) return UNASSIGNED_VOICEMAIL_TARGET;
    const agent = clientIdentity(dialled);
    if (agent) return `agent:${agent}`;
    if (!isE164(dialled)) return UNASSIGNED_VOICEMAIL_TARGET;
    const route = await this.routing.routeFor(dialled);
    return route ? `${route.kind}:${route.name}` : UNASSIGNED_VOICEMAIL_TARGET;
  }
}
