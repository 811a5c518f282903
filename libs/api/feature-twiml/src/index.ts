export * from './lib/api-feature-twiml';
