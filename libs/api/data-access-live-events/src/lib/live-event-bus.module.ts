import { randomBytes } from 'node:crypto';
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { EVENT_BUS, InProcessEventBus, type EventBus } from './event-bus';
import { LIVE_INSTANCE_ID, LiveEventPublisher } from './live-event-publisher';
import { LIVE_EVENTS_CHANNEL_SUFFIX, RedisEventBus } from './redis-event-bus';

const logger = new Logger('LiveEvents');

/** REDIS_URL unset: one instance, the in-process bus. Set: the instances share one Redis channel. */
export function createEventBus(config: Pick<AppConfig, 'redis'>): EventBus {
  if (config.redis === null) return new InProcessEventBus((error) => logger.error(`A live-event subscriber failed: ${String(error)}`));
  return new RedisEventBus({ url: config.redis.url, channel: `${config.redis.keyPrefix}${LIVE_EVENTS_CHANNEL_SUFFIX}`, log: logger });
}

/**
 * The bus and the publisher. Global, so any feature injects {@link LiveEventPublisher} without importing
 * the feature that serves the streams (the lint rules forbid feature-to-feature imports);
 * api-feature-live-events imports it once.
 */
@Global()
@Module({
  providers: [
    { provide: LIVE_INSTANCE_ID, useFactory: () => randomBytes(6).toString('hex') },
    { provide: EVENT_BUS, inject: [APP_CONFIG], useFactory: createEventBus },
    LiveEventPublisher,
  ],
  exports: [LiveEventPublisher, EVENT_BUS, LIVE_INSTANCE_ID],
})
export class LiveEventBusModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  /**
   * After the HTTP server has closed (not at module destroy), so a request still finishing during
   * shutdown can publish what it did.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close?.();
  }
}
