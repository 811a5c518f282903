export * from './lib/sandbox-feature-signaling';
