import { Module } from '@nestjs/common';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { CallEventsController } from './call-events.controller';
import { CallbackProcessor } from './callback-processor';
import { CallReconciler } from './call-reconciler';

@Module({ controllers: [CallEventsController], providers: [TwilioSignatureGuard, CallbackProcessor, CallReconciler], exports: [CallReconciler] })
export class CallEventsModule {}
