import { Inject, Injectable } from '@nestjs/common';
import type { LiveEvent, LiveEventMap, PublishableLiveEventType } from '@switchboard/shared-contracts';
import { EVENT_BUS, type EventBus, type LiveAudience } from './event-bus';

/** Names this API instance (random per start), in ids and in `session.hello`. */
export const LIVE_INSTANCE_ID = Symbol('LIVE_INSTANCE_ID');

/**
 * What features call to tell agents something: builds the envelope (a unique id, the time) and puts it
 * on the bus, which reaches the agent's streams on whichever instance holds them.
 */
@Injectable()
export class LiveEventPublisher {
  private sequence = 0;

  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus, @Inject(LIVE_INSTANCE_ID) private readonly instanceId: string) {}

  async publish<T extends PublishableLiveEventType>(type: T, data: LiveEventMap[T], audience: LiveAudience): Promise<LiveEvent<T>> {
    if ((type as string).startsWith('session.')) throw new Error(`${type} is sent by the stream itself, not published`);
    if (!(audience.supervisors === true || (audience.agents?.length ?? 0) > 0)) {
      throw new Error(`A ${type} event needs an audience: some agents, or the supervisors`);
    }
    this.sequence += 1;
    const event = { id: `${this.instanceId}-${this.sequence.toString(36)}`, type, at: new Date().toISOString(), data } as LiveEvent<T>;
    // Widened: the bus carries every type.
    await this.bus.publish({ event: event as LiveEvent, audience: { ...(audience.agents ? { agents: [...audience.agents] } : {}), ...(audience.supervisors ? { supervisors: true } : {}) } });
    return event;
  }
}
