import { Global, Module } from '@nestjs/common';
import {
  AgentDialer, CallFetcher, CallSummaries, CallProgressEvents, ConferenceCommands, RecordingFetcher, RecordingRemover, TwimlRenderer, VoiceTokenIssuer, WebhookSignatureVerifier,
} from '@switchboard/api-data-access-telephony';
import { TwilioCallFetcher, TwilioRecordingFetcher, TwilioRestDialer } from './twilio-rest';
import { TwilioCallSummaries } from './twilio-call-summaries';
import { TwilioConferenceCommands } from './twilio-conference-commands';
import { TwilioRecordingRemover } from './twilio-recording-remover';
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
    { provide: RecordingRemover, useClass: TwilioRecordingRemover },
    { provide: CallFetcher, useClass: TwilioCallFetcher },
    { provide: CallSummaries, useClass: TwilioCallSummaries },
    { provide: ConferenceCommands, useClass: TwilioConferenceCommands },
    // In-process announcements of stored callbacks: one instance for the whole app, hence here (global).
    CallProgressEvents,
  ],
  exports: [CallSummaries, RecordingRemover, VoiceTokenIssuer, WebhookSignatureVerifier, TwimlRenderer, AgentDialer, RecordingFetcher, CallFetcher, ConferenceCommands, CallProgressEvents],
})
export class TwilioAdapterModule {}
