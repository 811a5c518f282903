import { Global, Module } from '@nestjs/common';
import { AgentEligibility } from './agent-eligibility';
import { PresenceStore } from './presence-store';

/**
 * The presence store (in memory without REDIS_URL, Redis with it) and AgentEligibility. Global, so the
 * features that route calls and show the floor inject them without importing each other.
 */
@Global()
@Module({
  providers: [{ provide: PresenceStore, useFactory: () => { throw new Error('PresenceStore: not implemented yet'); } }, AgentEligibility],
  exports: [PresenceStore, AgentEligibility],
})
export class PresenceModule {}
