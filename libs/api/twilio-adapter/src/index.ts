export * from './lib/api-twilio-adapter';
