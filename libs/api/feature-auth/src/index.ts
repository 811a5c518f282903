export * from './lib/auth.module';
export * from './lib/password-hasher';
export * from './lib/sessions';
export { DEMO_AGENTS, DEMO_SALES_GROUP, DEMO_SUPPORT_GROUP } from './lib/demo-seeder';
export { ADMIN_USAGE, runAdminCli, type AdminIo, type AdminOptions } from './lib/admin/admin-cli';
export { AdminFailure, UsageError } from './lib/admin/admin-errors';
