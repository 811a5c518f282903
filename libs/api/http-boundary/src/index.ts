export * from './lib/auth-decorators';
export * from './lib/api-errors';
export * from './lib/browser-boundary';
export * from './lib/log-redaction';
export * from './lib/security-headers';
export * from './lib/request-logger';
