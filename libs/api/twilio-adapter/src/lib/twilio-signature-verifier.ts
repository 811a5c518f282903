import { Injectable } from '@nestjs/common';
import { WebhookSignatureVerifier } from '@switchboard/api-data-access-telephony';
// The webhooks module, not the package index (which loads the REST client: twilio-rest.ts says why not).
import { validateRequest } from 'twilio/lib/webhooks/webhooks';

/** twilio.validateRequest: HMAC-SHA1 with the given auth token, constant-time compare, Twilio's URL variants. */
@Injectable()
export class TwilioSignatureVerifier extends WebhookSignatureVerifier {
  isValid(authToken: string, signature: string, url: string, params: Readonly<Record<string, string | string[]>>): boolean {
    try {
      return validateRequest(authToken, signature, url, params as Record<string, string | string[]>);
    } catch {
      return false; // a URL it cannot parse is not a request Twilio signed
    }
  }
}
