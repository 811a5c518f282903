import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { RecordingRemover, TelephonyError } from '@switchboard/api-data-access-telephony';
import type twilio from 'twilio';
import { lazyTwilioRestClient } from './twilio-rest';

/** `DELETE Recordings/{sid}` through the twilio client, on TWILIO_API_BASE_URL (the sandbox in sandbox mode). */
@Injectable()
export class TwilioRecordingRemover extends RecordingRemover {
  private readonly rest: () => twilio.Twilio;
  private get client(): twilio.Twilio { return this.rest(); }

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.rest = lazyTwilioRestClient(config);
  }

  async remove(recordingSid: string): Promise<'deleted' | 'already-gone'> {
    try {
      await this.client.recordings(recordingSid).remove();
      return 'deleted';
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 404) return 'already-gone';
      throw new TelephonyError(`REST Recordings/${recordingSid} delete failed`, typeof status === 'number' ? status : null);
    }
  }
}
