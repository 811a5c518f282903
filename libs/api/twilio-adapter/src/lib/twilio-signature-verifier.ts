import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { WebhookSignatureVerifier } from '@switchboard/api-data-access-telephony';
import { validateRequest } from 'twilio';

/** twilio.validateRequest: HMAC-SHA1 with the auth token, constant-time compare, Twilio's URL variants. */
@Injectable()
export class TwilioSignatureVerifier extends WebhookSignatureVerifier {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  isValid(signature: string, url: string, params: Readonly<Record<string, string | string[]>>): boolean {
    try {
      return validateRequest(this.config.twilio.authToken, signature, url, params as Record<string, string | string[]>);
    } catch {
      return false; // a URL it cannot parse is not a request Twilio signed
    }
  }
}
