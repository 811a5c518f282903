export * from './lib/sandbox-defaults';
