import { Module } from '@nestjs/common';
import { ConferencesRepository } from '@switchboard/api-data-access-db';
import { TwilioSignatureGuard } from '@switchboard/api-data-access-telephony';
import { ConferenceCallbackProcessor } from './conference-callback-processor';
import { ConferenceSweep } from './conference-sweep';
import { ConferencesController } from './conferences.controller';

/** The conference record: its callback route, its sweep, and the repository later steps read it through. */
@Module({
  controllers: [ConferencesController],
  providers: [TwilioSignatureGuard, ConferencesRepository, ConferenceCallbackProcessor, ConferenceSweep],
  exports: [ConferencesRepository, ConferenceSweep],
})
export class ConferencesModule {}
