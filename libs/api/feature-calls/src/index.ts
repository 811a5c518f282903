export * from './lib/calls.module';
