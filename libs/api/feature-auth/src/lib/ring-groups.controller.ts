import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { RoutingRepository } from '@switchboard/api-data-access-db';
import { API_ROUTES, type RingGroupListing } from '@switchboard/shared-contracts';

/**
 * The ring groups a call can be transferred to, beside the agent directory (the transfer dialog).
 * Signed-in agents only (the app-wide SessionGuard). A group exists while it has members; its name is
 * both its id (what a `{ kind: 'ring-group', id }` transfer target names) and what the agent reads.
 * Never the members: who is in which group is the administrator's business, and the transfer API
 * decides at transfer time who of them can ring. Each is shown with its strategy (ring-all or longest-idle),
 * which the administrator sets (`npm run admin -- group strategy`).
 */
@ApiTags('agents')
@Controller()
export class RingGroupsController {
  constructor(private readonly routing: RoutingRepository) {}

  @Get(API_ROUTES.ringGroups)
  @ApiOkResponse({ description: 'Every ring group, by name: RingGroupListing[] ({ id, name, strategy })' })
  @ApiUnauthorizedResponse({ description: 'No valid session' })
  async list(): Promise<RingGroupListing[]> {
    const groups = await this.routing.listGroups();
    return groups.map(({ name, strategy }) => ({ id: name, name, strategy }));
  }
}
