import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConferencesRepository, RescuesRepository, TransfersRepository, type CurrentParticipant } from '@switchboard/api-data-access-db';
import { CallProgressEvents, ConferenceCommandError, ConferenceCommands, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import { clientIdentity, monitoringSupervisorOf } from '@switchboard/shared-contracts';
import { CallRescues } from './rescues.service';

type ConferenceNotice = Extract<CallProgressNotice, { kind: 'conference' }>;

/** The customer's leg, as feature-conferences' CUSTOMER_PARTICIPANT_LABEL names it (repeated: feature libraries do not import each other). */
export const CUSTOMER_LABEL = 'customer';

/** What follows an agent's leg leaving: nothing, ending the customer's call, or a rescue. */
export type AfterAgentLeft =
  | { readonly action: 'nothing' }
  | { readonly action: 'end' }
  | { readonly action: 'rescue'; readonly customerCallSid: string };

/**
 * The decision, given the record after the leave: only when the customer is left alone (no other agent,
 * no transfer target that answered) and no transfer target is ringing (it is still coming) does anything
 * happen. A leave the agent asked for (the hang-up route recorded it) ends the customer's call, as hanging
 * up always did; any other leave (a reload, a crash, a lost network) is a drop, and the customer is rescued.
 */
export function afterAgentLeft(participants: readonly Pick<CurrentParticipant, 'callSid' | 'label'>[], transferRinging: boolean, intended: boolean): AfterAgentLeft {
  // A supervisor listening, whispering or barging is not the customer's agent: with only them left the
  // customer is alone all the same (ending the conference takes the supervisor out too).
  const present = participants.filter((participant) => monitoringSupervisorOf(participant.label) === null);
  const customer = present.find((participant) => participant.label === CUSTOMER_LABEL);
  if (!customer || present.some((participant) => participant.label !== CUSTOMER_LABEL) || transferRinging) return { action: 'nothing' };
  return intended ? { action: 'end' } : { action: 'rescue', customerCallSid: customer.callSid };
}

/**
 * Decides what an agent's leg leaving a customer's conference means (the "customer alone" rule that used
 * to live in feature-conferences' LoneCustomerEnding), and moves rescues on from the conference callbacks:
 * the agent's new leg joining closes theirs as rejoined, the customer leaving or the conference ending
 * closes it as ended. Runs on each newly stored conference callback (CallProgressEvents announces each
 * once, on the instance that stored it); a conference's notices are handled one after another.
 */
@Injectable()
export class CustomerAloneListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CustomerAloneListener');
  private readonly queues = new Map<string, Promise<void>>();
  private stopListening: () => void = () => undefined;

  constructor(
    private readonly conferences: ConferencesRepository,
    private readonly transfers: TransfersRepository,
    private readonly rescues: RescuesRepository,
    private readonly callRescues: CallRescues,
    private readonly commands: ConferenceCommands,
    // Optional as for ConferenceLiveUpdates: a module built without telephony listens to nothing.
    @Optional() private readonly progress?: CallProgressEvents,
  ) {}

  onModuleInit(): void {
    if (!this.progress) return;
    this.stopListening = this.progress.listen((notice) => {
      if (notice.kind === 'conference') this.enqueue(notice);
    });
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  /** Resolves once every notice queued so far has been handled (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private enqueue(notice: ConferenceNotice): void {
    const { conferenceSid } = notice;
    const next: Promise<void> = (this.queues.get(conferenceSid) ?? Promise.resolve())
      .then(() => this.handle(notice))
      .catch((error: unknown) => this.logger.error(`${notice.event} of conference ${conferenceSid} not handled: ${(error as Error).message}`))
      .finally(() => {
        if (this.queues.get(conferenceSid) === next) this.queues.delete(conferenceSid);
      });
    this.queues.set(conferenceSid, next);
  }

  async handle(notice: ConferenceNotice): Promise<void> {
    const identity = clientIdentity(notice.label ?? undefined);
    if (notice.event === 'conference-end' || (notice.event === 'participant-leave' && notice.label === CUSTOMER_LABEL)) {
      await this.callRescues.onCustomerGone(notice.conferenceSid);
    } else if (notice.event === 'participant-join' && identity) {
      await this.callRescues.onAgentJoined(notice.conferenceSid, identity);
    } else if (notice.event === 'participant-leave' && identity && notice.callSid !== null) {
      await this.afterLeave(notice.conferenceSid, identity, notice.callSid);
    }
  }

  private async afterLeave(conferenceSid: string, identity: string, callSid: string): Promise<void> {
    const present = await this.conferences.currentParticipants(conferenceSid);
    const ringing = present.length > 0 && (await this.transfers.findRinging(conferenceSid)) !== undefined;
    const decision = afterAgentLeft(present, ringing, await this.rescues.isIntendedLeave(callSid));
    if (decision.action === 'rescue') {
      await this.callRescues.open({ conferenceSid, customerCallSid: decision.customerCallSid, identity, droppedCallSid: callSid });
    } else if (decision.action === 'end') {
      this.logger.log(`${identity} hung up and left the caller alone in conference ${conferenceSid}: the call is ended`);
      try {
        await this.commands.completeConference(conferenceSid);
      } catch (error) {
        // The hang-up route usually ended it already: gone is what was wanted.
        if (!(error instanceof ConferenceCommandError && error.failure === 'conference-gone')) throw error;
      }
    }
  }
}
