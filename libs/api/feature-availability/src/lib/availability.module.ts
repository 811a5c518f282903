import { Module } from '@nestjs/common';
import { AvailabilityRepository } from '@switchboard/api-data-access-db';
import { AvailabilityController } from './availability.controller';
import { AgentAvailabilityService } from './availability.service';
import { WrapUpExpiry } from './wrap-up-expiry';

/**
 * Agent availability (issue 13, item 1): the routes, the service the call flow and routing will use
 * (exported), and the wrap-up timer.
 */
@Module({
  controllers: [AvailabilityController],
  providers: [AvailabilityRepository, AgentAvailabilityService, WrapUpExpiry],
  exports: [AgentAvailabilityService],
})
export class AvailabilityModule {}
