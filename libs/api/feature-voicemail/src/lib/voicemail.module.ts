import { Module } from '@nestjs/common';
import { OutboundCallCaps, RetentionRepository } from '@switchboard/api-data-access-db';
import { RetentionSweeper } from './retention-sweeper';
import { VoicemailController } from './voicemail.controller';

@Module({ controllers: [VoicemailController], providers: [RetentionSweeper, RetentionRepository, OutboundCallCaps] })
export class VoicemailModule {}
