import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { ConferencesRepository, TransfersRepository } from '@switchboard/api-data-access-db';
import { CallProgressEvents, ConferenceCommandError, ConferenceCommands, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import { clientIdentity } from '@switchboard/shared-contracts';
import { CUSTOMER_PARTICIPANT_LABEL } from './conference-projection';

type ConferenceNotice = Extract<CallProgressNotice, { kind: 'conference' }>;

/**
 * Ends a customer's conference when its last agent leaves and the customer is left alone in it. Agents
 * join with endConferenceOnExit=false (so a dropped agent can later be rescued); until rescue exists,
 * a customer left alone would otherwise wait in silence until they hang up themselves. A ringing
 * transfer target is still coming, so the conference is then left alone.
 * Runs on each agent's newly stored `participant-leave` (CallProgressEvents announces each callback
 * once); completing is asked once per conference here, and a conference already gone is what was wanted.
 */
@Injectable()
export class LoneCustomerEnding implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LoneCustomerEnding');
  private readonly completing = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private stopListening: () => void = () => undefined;

  constructor(
    private readonly conferences: ConferencesRepository,
    private readonly transfers: TransfersRepository,
    // Optional as for ConferenceLiveUpdates: a module built without telephony ends nothing.
    @Optional() private readonly progress?: CallProgressEvents,
    @Optional() private readonly commands?: ConferenceCommands,
  ) {}

  onModuleInit(): void {
    const { progress, commands } = this;
    if (!progress || !commands) return;
    this.stopListening = progress.listen((notice) => {
      if (notice.kind !== 'conference' || notice.event !== 'participant-leave' || !clientIdentity(notice.label ?? undefined)) return;
      const run = this.afterAgentLeft(notice, commands).finally(() => this.pending.delete(run));
      this.pending.add(run);
    });
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  /** Resolves once every check started so far has settled (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async afterAgentLeft({ conferenceSid }: ConferenceNotice, commands: ConferenceCommands): Promise<void> {
    if (this.completing.has(conferenceSid)) return;
    try {
      const present = await this.conferences.currentParticipants(conferenceSid);
      const customerAlone = present.length > 0 && present.every((participant) => participant.label === CUSTOMER_PARTICIPANT_LABEL);
      if (!customerAlone || (await this.transfers.findRinging(conferenceSid))) return;
      if (this.completing.has(conferenceSid)) return;
      this.completing.add(conferenceSid);
      this.logger.log(`The last agent left conference ${conferenceSid}: the customer's call is ended`);
      await commands.completeConference(conferenceSid);
    } catch (error) {
      if (error instanceof ConferenceCommandError && error.failure === 'conference-gone') return;
      this.logger.error(`Could not end conference ${conferenceSid} after its last agent left: ${(error as Error).message}`);
    }
  }
}
