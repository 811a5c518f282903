export * from './lib/shared-sandbox-defaults';
