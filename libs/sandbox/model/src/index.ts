export * from './lib/sandbox-model';
