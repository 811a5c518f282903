import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { RecordingRemover, TelephonyError } from '@switchboard/api-data-access-telephony';
import twilio from 'twilio';
import { BaseUrlRequestClient } from './twilio-rest';

/** `DELETE Recordings/{sid}` through the twilio client, on TWILIO_API_BASE_URL (the sandbox in sandbox mode). */
@Injectable()
export class TwilioRecordingRemover extends RecordingRemover {
  private readonly client: twilio.Twilio;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    const { accountSid, authToken, apiBaseUrl, acceptSelfSignedTls } = config.twilio;
    this.client = twilio(accountSid, authToken, { accountSid, httpClient: new BaseUrlRequestClient(apiBaseUrl, acceptSelfSignedTls) });
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
