export * from './lib/sandbox-feature-rest';
