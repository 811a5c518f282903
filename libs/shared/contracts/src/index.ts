export * from './lib/routes';
export * from './lib/api-contracts';
export * from './lib/webhook-contracts';
export * from './lib/call-status';
export * from './lib/identity';
export * from './lib/form-params';
export * from './lib/live-events';
export * from './lib/call-control';
