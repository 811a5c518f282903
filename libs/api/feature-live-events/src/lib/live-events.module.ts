import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { EVENT_BUS, LIVE_INSTANCE_ID, LiveEventBusModule, type EventBus } from '@switchboard/api-data-access-live-events';
import { LIVE_EVENT_DEFAULTS, LiveEventHub } from './live-event-hub';
import { LiveEventsController } from './live-events.controller';

const logger = new Logger('LiveEvents');

/**
 * The real-time channel: `GET /api/events` and this instance's streams. The bus and the
 * {@link LiveEventPublisher} features inject come from api-data-access-live-events (a global module,
 * imported here), so a feature publishes without importing this feature library.
 */
@Module({
  imports: [LiveEventBusModule],
  controllers: [LiveEventsController],
  providers: [
    {
      provide: LiveEventHub,
      inject: [EVENT_BUS, APP_CONFIG, LIVE_INSTANCE_ID],
      useFactory: (bus: EventBus, config: AppConfig, instanceId: string) => new LiveEventHub(bus, {
        ...LIVE_EVENT_DEFAULTS,
        instanceId,
        heartbeatMs: config.liveEvents.heartbeatSeconds * 1000,
        warn: (message) => logger.warn(message),
      }),
    },
  ],
  exports: [LiveEventHub, LiveEventBusModule],
})
export class LiveEventsModule {}
