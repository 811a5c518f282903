export * from './lib/database';
export { applicationNameFor } from './lib/postgres-pool';
export * from './lib/database.module';
export * from './lib/repositories';
export * from './lib/call-start-writer';
export * from './lib/enabled-agents';
export * from './lib/call-state';
export * from './lib/schema';
export { MIGRATIONS, type Migration } from './lib/migrations';
