export * from './lib/sandbox-media';
