export * from './lib/shared-util-phone';
