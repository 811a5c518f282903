export * from './lib/recurring-pass';
