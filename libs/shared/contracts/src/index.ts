export * from './lib/routes';
export * from './lib/api-contracts';
export * from './lib/webhook-contracts';
