import { Global, Module } from '@nestjs/common';
import { AgentDialer, RecordingFetcher, TwimlRenderer, VoiceTokenIssuer, WebhookSignatureVerifier } from '@switchboard/api-data-access-telephony';
import { TwilioRecordingFetcher, TwilioRestDialer } from './twilio-rest';
import { TwilioSignatureVerifier } from './twilio-signature-verifier';
import { TwilioTwimlRenderer } from './twilio-twiml-renderer';
import { TwilioVoiceTokenIssuer } from './twilio-voice-token-issuer';

/** Binds the telephony ports to their `twilio`-package implementations. */
@Global()
@Module({
  providers: [
    { provide: VoiceTokenIssuer, useClass: TwilioVoiceTokenIssuer },
    { provide: WebhookSignatureVerifier, useClass: TwilioSignatureVerifier },
    { provide: TwimlRenderer, useClass: TwilioTwimlRenderer },
    { provide: AgentDialer, useClass: TwilioRestDialer },
    { provide: RecordingFetcher, useClass: TwilioRecordingFetcher },
  ],
  exports: [VoiceTokenIssuer, WebhookSignatureVerifier, TwimlRenderer, AgentDialer, RecordingFetcher],
})
export class TwilioAdapterModule {}
