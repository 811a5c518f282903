import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DATABASE, Database } from '@switchboard/api-data-access-db';
import { Public } from '@switchboard/api-http-boundary';
import { API_ROUTES } from '@switchboard/shared-contracts';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  @Get(API_ROUTES.health.live)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(API_ROUTES.health.ready)
  async ready(): Promise<{ status: 'ok'; database: string }> {
    if (!(await this.database.ping())) throw new ServiceUnavailableException('Database is not reachable');
    return { status: 'ok', database: this.database.engine };
  }
}
