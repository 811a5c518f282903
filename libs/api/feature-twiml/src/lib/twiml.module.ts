import { Module } from '@nestjs/common';
import { OutboundCallCaps, RescuesRepository } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { AgentRinging } from './agent-ringing';
import { CallPlanner } from './call-planner';
import { OutboundDialing } from './outbound-dialing';
import { VoiceWebhooksController } from './voice-webhooks.controller';

@Module({ controllers: [VoiceWebhooksController], providers: [CallPlanner, AgentRinging, OutboundDialing, TwilioSignatureGuard, OutboundCallCaps, RescuesRepository] })
export class TwimlModule {}
