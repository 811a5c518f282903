export * from './lib/call-events.module';
