import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DATABASE, Database } from '@switchboard/api-data-access-db';
import { EVENT_BUS, type EventBus } from '@switchboard/api-data-access-live-events';
import { PresenceStore } from '@switchboard/api-data-access-presence';
import { Public } from '@switchboard/api-http-boundary';
import { API_ROUTES } from '@switchboard/shared-contracts';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly presence: PresenceStore,
  ) {}

  @Get(API_ROUTES.health.live)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(API_ROUTES.health.ready)
  async ready(): Promise<{ status: 'ok'; database: string }> {
    if (!(await this.database.ping())) throw new ServiceUnavailableException('Database is not reachable');
    // With REDIS_URL, an instance that cannot reach Redis would take streams but never see other
    // instances' events: not ready. Where it fails stays in the logs (this route is public).
    if (this.bus.readiness?.().ready === false) throw new ServiceUnavailableException('Live-event bus (Redis) is not reachable');
    // Presence lives in Redis too: an instance that cannot keep reports would call every agent unreachable.
    if (!this.presence.readiness().ready) throw new ServiceUnavailableException('Presence store (Redis) is not reachable');
    return { status: 'ok', database: this.database.engine };
  }
}
