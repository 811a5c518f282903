export * from './lib/ports';
export * from './lib/twilio-signature.guard';
