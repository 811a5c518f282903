export * from './lib/api-feature-call-history';
