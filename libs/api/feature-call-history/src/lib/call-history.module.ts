import { Module } from '@nestjs/common';
import { AgentRingController } from './agent-ring.controller';
import { CallHistoryController } from './call-history.controller';
import { NumberCheckController } from './number-check.controller';

@Module({ controllers: [CallHistoryController, NumberCheckController, AgentRingController] })
export class CallHistoryModule {}
