export * from './lib/twilio-adapter.module';
export * from './lib/twilio-voice-token-issuer';
export * from './lib/twilio-signature-verifier';
export * from './lib/twilio-twiml-renderer';
export * from './lib/twilio-rest';
export * from './lib/twilio-recording-remover';
export * from './lib/twilio-conference-commands';
export * from './lib/twilio-call-summaries';
