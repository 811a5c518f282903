import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AvailabilityRepository } from '@switchboard/api-data-access-db';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { AgentEligibility } from './agent-eligibility';
import { MemoryPresenceStore } from './memory-presence-store';
import { PresenceStore } from './presence-store';
import { RedisPresenceStore } from './redis-presence-store';
import { AgentSignOuts } from './agent-sign-outs';

/** REDIS_URL unset: this instance's memory. Set: Redis, shared by the instances, under REDIS_KEY_PREFIX. */
export function createPresenceStore(config: Pick<AppConfig, 'redis' | 'floor'>): PresenceStore {
  const timeoutMs = config.floor.presenceTimeoutSeconds * 1000;
  if (config.redis === null) return new MemoryPresenceStore(timeoutMs);
  return new RedisPresenceStore({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, timeoutMs });
}

/**
 * The presence store, AgentEligibility and the sign-out hook. Global, so the features that route calls,
 * show the floor and sign agents out inject them without importing each other.
 */
@Global()
@Module({
  providers: [
    { provide: PresenceStore, inject: [APP_CONFIG], useFactory: createPresenceStore },
    AvailabilityRepository,
    AgentEligibility,
    AgentSignOuts,
  ],
  exports: [PresenceStore, AgentEligibility, AgentSignOuts],
})
export class PresenceModule implements OnApplicationShutdown {
  constructor(private readonly store: PresenceStore) {}

  /** After the HTTP server closed, as the live-event bus does: a report still finishing can store itself. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
