import { Module } from '@nestjs/common';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { CallEventsController } from './call-events.controller';

@Module({ controllers: [CallEventsController], providers: [TwilioSignatureGuard] })
export class CallEventsModule {}
