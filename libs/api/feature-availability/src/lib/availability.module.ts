import { Module } from '@nestjs/common';
import { AvailabilityRepository, ConferencesRepository } from '@switchboard/api-data-access-db';
import { AgentPresenceService } from './agent-presence.service';
import { AvailabilityController } from './availability.controller';
import { AgentAvailabilityService } from './availability.service';
import { CallAvailability } from './call-availability';
import { PresenceController } from './presence.controller';
import { PresenceSweep } from './presence-sweep';
import { WrapUpExpiry } from './wrap-up-expiry';

/**
 * Agent availability and verified reachability (issue 13, items 1–2): the routes, the service the call flow
 * and routing use (exported), availability following the agent's calls, the wrap-up timer, the presence
 * reports and their sweep, and sign-out (heard through api-data-access-presence's AgentSignOuts).
 */
@Module({
  controllers: [AvailabilityController, PresenceController],
  providers: [
    AvailabilityRepository, ConferencesRepository, AgentAvailabilityService, WrapUpExpiry, AgentPresenceService, PresenceSweep, CallAvailability,
  ],
  exports: [AgentAvailabilityService],
})
export class AvailabilityModule {}
