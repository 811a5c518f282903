export * from './lib/quality.module';
