import { Module } from '@nestjs/common';
import { VoicemailController } from './voicemail.controller';

@Module({ controllers: [VoicemailController] })
export class VoicemailModule {}
