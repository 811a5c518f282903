export * from './lib/auth-decorators';
export * from './lib/api-errors';
