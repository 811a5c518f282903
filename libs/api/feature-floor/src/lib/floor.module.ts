import { Module } from '@nestjs/common';
import { AvailabilityRepository, QueueRepository } from '@switchboard/api-data-access-db';
import { FloorController } from './floor.controller';
import { FloorLiveUpdates } from './floor-live-updates';
import { FloorQueries } from './floor-queries';
import { FloorService } from './floor.service';
import { MonitorService } from './monitor.service';

/**
 * The supervisor's board (issue 13, item 4): `GET /api/floor`, the `floor.call` / `floor.counts` live
 * events, and listen / whisper / barge (`PUT /api/calls/{customerCallSid}/monitor`; the join itself is the
 * outgoing webhook's, in feature-twiml). Presence, the bus and telephony come from their global modules.
 */
@Module({
  controllers: [FloorController],
  providers: [FloorQueries, FloorService, MonitorService, FloorLiveUpdates, AvailabilityRepository, QueueRepository],
})
export class FloorModule {}
