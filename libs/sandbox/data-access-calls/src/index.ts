export * from './lib/sandbox-data-access-calls';
