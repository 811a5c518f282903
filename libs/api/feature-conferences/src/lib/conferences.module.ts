import { Module } from '@nestjs/common';
import { ConferencesRepository } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { ConferenceCallbackProcessor } from './conference-callback-processor';
import { ConferenceLiveUpdates } from './conference-live-updates';
import { ConferenceSweep } from './conference-sweep';
import { ConferencesController } from './conferences.controller';

/**
 * The conference record: its callback route, its sweep, the repository later steps read it through, and its
 * `call.participants` events. What an agent leaving the customer alone means (end the call, or rescue it)
 * is decided in feature-call-control (CustomerAloneListener), from the same CallProgressEvents.
 */
@Module({
  controllers: [ConferencesController],
  providers: [TwilioSignatureGuard, ConferencesRepository, ConferenceCallbackProcessor, ConferenceSweep, ConferenceLiveUpdates],
  exports: [ConferencesRepository, ConferenceSweep],
})
export class ConferencesModule {}
