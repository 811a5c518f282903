export * from './lib/api-feature-tokens';
