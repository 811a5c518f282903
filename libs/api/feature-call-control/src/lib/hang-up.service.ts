import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { RescuesRepository, TransfersRepository } from '@switchboard/api-data-access-db';
import { ConferenceCommandError, ConferenceCommands } from '@switchboard/api-data-access-telephony';
import type { HangUpResponse } from '@switchboard/shared-contracts';
import { CallControlException } from './call-control-errors';
import { CallControl } from './call-control.service';
import { CUSTOMER_LABEL } from './customer-alone';

/**
 * The agent hangs up on purpose (`POST /api/calls/{callSid}/hang-up`). The SDK's own hang-up looks the
 * same to the provider as a reload or a crash, so the API is told first: the leave is recorded as intended
 * (no rescue follows it), the agent's leg is taken out, and when no other agent stays (and no transfer
 * target is ringing) the customer's call is ended too, as hanging up always did.
 */
@Injectable()
export class HangUps {
  private readonly logger = new Logger('HangUps');

  constructor(
    private readonly control: CallControl,
    private readonly rescues: RescuesRepository,
    private readonly transfers: TransfersRepository,
    private readonly commands: ConferenceCommands,
  ) {}

  async hangUp(identity: string, callSid: string): Promise<HangUpResponse> {
    return this.control.guarded(async () => {
      const authorized = await this.control.authorize(identity, callSid);
      if (authorized === 'direct') {
        throw new CallControlException(HttpStatus.CONFLICT, 'target-unavailable', 'This call is not anchored in a conference: hang up on the softphone');
      }
      const { anchor, current } = authorized;
      // authorize admits the agent only while they are in the call: their leg is among the current participants.
      const legs = current.filter((p) => p.agentIdentity === identity && p.callSid !== anchor.anchorCallSid);
      for (const leg of legs) await this.rescues.recordIntendedLeave(leg.callSid, identity);
      for (const leg of legs) await this.removeLeg(anchor.conferenceSid, leg.callSid);
      const othersStay = current.some((p) => p.label !== CUSTOMER_LABEL && p.callSid !== anchor.anchorCallSid && !legs.includes(p));
      const customerIn = anchor.anchorCallSid !== null && current.some((p) => p.callSid === anchor.anchorCallSid);
      if (othersStay || !customerIn || (await this.transfers.findRinging(anchor.conferenceSid))) {
        this.logger.log(`${identity} hung up on conference ${anchor.conferenceSid}; the call goes on without them`);
        return { callSid, customerCallEnded: false };
      }
      try {
        await this.commands.completeConference(anchor.conferenceSid);
      } catch (error) {
        if (!(error instanceof ConferenceCommandError && error.failure === 'conference-gone')) throw error;
      }
      this.logger.log(`${identity} hung up on conference ${anchor.conferenceSid}, the last agent with the caller: the call is ended`);
      return { callSid, customerCallEnded: true };
    });
  }

  /** Takes the leg out; one already gone (it dropped meanwhile) is what was wanted. */
  private async removeLeg(conferenceSid: string, callSid: string): Promise<void> {
    try {
      await this.commands.removeParticipant(conferenceSid, callSid);
    } catch (error) {
      if (error instanceof ConferenceCommandError && (error.failure === 'participant-gone' || error.failure === 'conference-gone' || error.failure === 'call-gone')) return;
      throw error;
    }
  }
}
