export * from './lib/ports';
export * from './lib/twilio-signature.guard';
export * from './lib/recording-remover';
export * from './lib/conference-commands';
export * from './lib/call-progress-events';
export * from './lib/call-summaries';
