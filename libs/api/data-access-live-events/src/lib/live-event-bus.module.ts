import { randomBytes } from 'node:crypto';
import { Global, Logger, Module } from '@nestjs/common';
import { EVENT_BUS, InProcessEventBus } from './event-bus';
import { LIVE_INSTANCE_ID, LiveEventPublisher } from './live-event-publisher';

const logger = new Logger('LiveEvents');

/**
 * The bus and the publisher. Global, so any feature injects {@link LiveEventPublisher} without importing
 * the feature that serves the streams (the lint rules forbid feature-to-feature imports);
 * api-feature-live-events imports it once. In-process bus; issue 13 provides a Redis one under EVENT_BUS.
 */
@Global()
@Module({
  providers: [
    { provide: LIVE_INSTANCE_ID, useFactory: () => randomBytes(6).toString('hex') },
    { provide: EVENT_BUS, useFactory: () => new InProcessEventBus((error) => logger.error(`A live-event subscriber failed: ${String(error)}`)) },
    LiveEventPublisher,
  ],
  exports: [LiveEventPublisher, EVENT_BUS, LIVE_INSTANCE_ID],
})
export class LiveEventBusModule {}
