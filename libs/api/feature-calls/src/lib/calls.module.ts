import { Module } from '@nestjs/common';
import { OutboundCallCaps } from '@switchboard/api-data-access-db';
import { AgentRingController } from './agent-ring.controller';
import { CallHistoryController } from './call-history.controller';
import { NumberCheckController } from './number-check.controller';

/** The agent API's /api/calls routes: call history, the number check before dialling, the supervisor's ring. */
@Module({ controllers: [CallHistoryController, NumberCheckController, AgentRingController], providers: [OutboundCallCaps] })
export class CallsModule {}
