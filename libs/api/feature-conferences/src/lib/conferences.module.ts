import { Module } from '@nestjs/common';
import { ConferencesRepository, TransfersRepository } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { ConferenceCallbackProcessor } from './conference-callback-processor';
import { ConferenceLiveUpdates } from './conference-live-updates';
import { ConferenceSweep } from './conference-sweep';
import { ConferencesController } from './conferences.controller';
import { LoneCustomerEnding } from './lone-customer-ending';

/** The conference record: its callback route, its sweep, the repository later steps read it through, its `call.participants` events, and the end of a conference whose last agent left the customer alone. */
@Module({
  controllers: [ConferencesController],
  providers: [TwilioSignatureGuard, ConferencesRepository, ConferenceCallbackProcessor, ConferenceSweep, ConferenceLiveUpdates, TransfersRepository, LoneCustomerEnding],
  exports: [ConferencesRepository, ConferenceSweep],
})
export class ConferencesModule {}
