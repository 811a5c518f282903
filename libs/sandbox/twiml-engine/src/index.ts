export * from './lib/sandbox-twiml-engine';
