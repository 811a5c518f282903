export * from './lib/call-history.module';
