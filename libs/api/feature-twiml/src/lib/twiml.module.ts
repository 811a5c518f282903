import { Module } from '@nestjs/common';
import { OutboundCallCaps } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { AgentRinging } from './agent-ringing';
import { CallPlanner } from './call-planner';
import { VoiceWebhooksController } from './voice-webhooks.controller';

@Module({ controllers: [VoiceWebhooksController], providers: [CallPlanner, AgentRinging, TwilioSignatureGuard, OutboundCallCaps] })
export class TwimlModule {}
