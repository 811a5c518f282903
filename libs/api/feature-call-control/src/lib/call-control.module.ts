import { Module } from '@nestjs/common';
import { ConferencesRepository, OutboundCallCaps, RescuesRepository, TransfersRepository } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { CallAnchors } from './call-anchors';
import { CallRescueController } from './call-rescue.controller';
import { CallControlController } from './call-control.controller';
import { CallControl } from './call-control.service';
import { ColdTransfers } from './cold-transfers.service';
import { CustomerAloneListener } from './customer-alone';
import { HangUps } from './hang-up.service';
import { RescueExpiry } from './rescue-expiry';
import { RescueHoldController } from './rescue-hold.controller';
import { CallRescues } from './rescues.service';
import { ConsultTransfers } from './consult-transfers.service';
import { TransferJoinListener } from './transfer-join-listener';
import { TransferMoves } from './transfer-moves';
import { TransferStatusController } from './transfer-status.controller';
import { TransferTargets } from './transfer-targets';
import { TransferUpdates } from './transfer-updates';

/** Rescue of a caller whose agent dropped out, and the agent's intended hang-up (customer-alone.ts decides which is which). */
const RESCUE_PROVIDERS = [RescuesRepository, CallRescues, CustomerAloneListener, RescueExpiry, HangUps];

/** The agent's call-control routes (participants, hold, cold transfer, consult) over the conference record and ConferenceCommands, and the transfer legs' status webhook. */
@Module({
  controllers: [CallControlController, TransferStatusController, CallRescueController, RescueHoldController],
  providers: [ConferencesRepository, CallAnchors, CallControl, TransfersRepository, OutboundCallCaps, TransferTargets, TransferUpdates, TransferMoves, ConsultTransfers, ColdTransfers, TransferJoinListener, TwilioSignatureGuard, ...RESCUE_PROVIDERS],
})
export class CallControlModule {}
