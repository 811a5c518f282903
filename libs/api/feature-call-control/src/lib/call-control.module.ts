import { Module } from '@nestjs/common';
import { ConferencesRepository, OutboundCallCaps, TransfersRepository } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { CallAnchors } from './call-anchors';
import { CallControlController } from './call-control.controller';
import { CallControl } from './call-control.service';
import { ColdTransfers } from './cold-transfers.service';
import { ConsultTransfers } from './consult-transfers.service';
import { TransferJoinListener } from './transfer-join-listener';
import { TransferMoves } from './transfer-moves';
import { TransferStatusController } from './transfer-status.controller';
import { TransferTargets } from './transfer-targets';
import { TransferUpdates } from './transfer-updates';

/** The agent's call-control routes (participants, hold, cold transfer, consult) over the conference record and ConferenceCommands, and the transfer legs' status webhook. */
@Module({
  controllers: [CallControlController, TransferStatusController],
  providers: [ConferencesRepository, CallAnchors, CallControl, TransfersRepository, OutboundCallCaps, TransferTargets, TransferUpdates, TransferMoves, ConsultTransfers, ColdTransfers, TransferJoinListener, TwilioSignatureGuard],
})
export class CallControlModule {}
