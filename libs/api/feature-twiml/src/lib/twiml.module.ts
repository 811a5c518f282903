import { Module } from '@nestjs/common';
import { ConferencesRepository, OutboundCallCaps, QueueRepository, RescuesRepository, RingOutcomesRepository } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { AgentRinging } from './agent-ringing';
import { CallPlanner } from './call-planner';
import { OutboundDialing } from './outbound-dialing';
import { CallQueue } from './queue/call-queue';
import { QueueWaitController } from './queue/queue-wait.controller';
import { VoiceWebhooksController } from './voice-webhooks.controller';

@Module({ controllers: [VoiceWebhooksController, QueueWaitController], providers: [CallPlanner, AgentRinging, OutboundDialing, TwilioSignatureGuard, OutboundCallCaps, RescuesRepository, CallQueue, QueueRepository, ConferencesRepository, RingOutcomesRepository] })
export class TwimlModule {}
