export * from './lib/tokens.module';
