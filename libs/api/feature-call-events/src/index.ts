export * from './lib/api-feature-call-events';
