import { Injectable, Logger } from '@nestjs/common';
import type { TransferRecord } from '@switchboard/api-data-access-db';
import { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { isLegEnded } from './transfer-decisions';

/**
 * The conference commands a transfer or consult takes after its record moved on, shared by ColdTransfers
 * and ConsultTransfers. Each runs once, by whoever stored the transition; failures are logged, not thrown
 * (the record already tells what happened, and a party that has gone needs no command).
 */
@Injectable()
export class TransferMoves {
  private readonly logger = new Logger('TransferMoves');

  constructor(private readonly commands: ConferenceCommands) {}

  /** The customer hears the conference again (and is heard). */
  resumeCustomer(transfer: TransferRecord): Promise<void> {
    return this.quietly('resume the caller', () => this.commands.setHold(transfer.conferenceSid, transfer.customerCallSid, false));
  }

  /** Takes a leg out of the conference; a leg the provider cannot remove (not joined yet) is hung up instead. */
  removeLeg(transfer: TransferRecord, callSid: string, what: string): Promise<void> {
    return this.quietly(what, () => this.commands.removeParticipant(transfer.conferenceSid, callSid).catch(() => this.commands.endCall(callSid, 'hang-up')));
  }

  /** Cancels every target leg that has not ended, but `except` (the leg that answered). */
  async cancelTargetLegs(transfer: TransferRecord, except: string | null = null): Promise<void> {
    const ringing = Object.entries(transfer.targetLegs).filter(([sid, status]) => sid !== except && !isLegEnded(status));
    await Promise.all(ringing.map(([sid]) => this.quietly(`cancel ${sid}`, () => this.commands.endCall(sid, 'cancel-if-not-answered'))));
  }

  async quietly(what: string, command: () => Promise<unknown>): Promise<void> {
    try {
      await command();
    } catch (error) {
      this.logger.warn(`Transfer step "${what}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
