export * from './lib/app-config';
export * from './lib/app-config.module';
export * from './lib/boundary-config';
export * from './lib/outbound-limits';
export type { CustomerCallAnchor } from './lib/call-control-config';
export { DEFAULT_REDIS_KEY_PREFIX, redactRedisUrl, type RedisConfig } from './lib/redis-config';
export { DEFAULT_AWAY_REASONS, DEFAULT_DISPOSITION_CODES, type AvailabilityConfig } from './lib/availability-config';
export type { FloorConfig } from './lib/floor-config';
export type { QualityConfig } from './lib/quality-config';
