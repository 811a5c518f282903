import { randomBytes } from 'node:crypto';
import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { EVENT_BUS, InProcessEventBus, type EventBus } from './event-bus';
import { LIVE_EVENT_DEFAULTS, LiveEventHub } from './live-event-hub';
import { LIVE_INSTANCE_ID, LiveEventPublisher } from './live-event-publisher';
import { LiveEventsController } from './live-events.controller';

const logger = new Logger('LiveEvents');

/**
 * The real-time channel: `GET /api/events` and the {@link LiveEventPublisher} features inject (import
 * this module). The bus is in-process; issue 13 provides a Redis one under EVENT_BUS instead.
 */
@Module({
  controllers: [LiveEventsController],
  providers: [
    { provide: LIVE_INSTANCE_ID, useFactory: () => randomBytes(6).toString('hex') },
    { provide: EVENT_BUS, useFactory: () => new InProcessEventBus((error) => logger.error(`A live-event subscriber failed: ${String(error)}`)) },
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
    LiveEventPublisher,
  ],
  exports: [LiveEventPublisher, LiveEventHub, EVENT_BUS, LIVE_INSTANCE_ID],
})
export class LiveEventsModule {}
