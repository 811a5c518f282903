export * from './lib/tokens.module';
export { RATE_LIMITER, RateLimiterUnavailableError, type RateLimiter, type RateLimit } from './lib/rate-limiter';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './lib/memory-rate-limiter';
export { RedisRateLimiter, type RedisRateLimiterOptions, type RedisRateLimiterLog, type RateLimitConnection } from './lib/redis-rate-limiter';
export { createRateLimiter, rateLimiterKind, type RateLimiterKind } from './lib/create-rate-limiter';
