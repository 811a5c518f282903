import { Module } from '@nestjs/common';
import { CallHistoryController } from './call-history.controller';

@Module({ controllers: [CallHistoryController] })
export class CallHistoryModule {}
