import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CallsRepository } from '@switchboard/api-data-access-db';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import { API_ROUTES, type CallRecord, type Page } from '@switchboard/shared-contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class CallPageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000)
  readonly page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  readonly pageSize: number = 20;
}

@ApiTags('calls')
@Controller()
export class CallHistoryController {
  constructor(private readonly calls: CallsRepository) {}

  /**
   * Calls the signed-in agent made, was rung for or joined (a transfer or consult target), newest first;
   * each with its transfers, consults and rescues, oldest first.
   */
  @Get(API_ROUTES.calls.list)
  async list(@CurrentAgent() agent: SessionAgent, @Query() query: CallPageQuery): Promise<Page<CallRecord>> {
    // Each call's quality badge (issue 14): the agent's own leg; for a supervisor, the call's worst leg.
    const { items, total } = await this.calls.pageForAgent(agent.identity, query.page, query.pageSize, agent.role === 'supervisor' ? 'worst' : 'own');
    return { items, total, page: query.page, pageSize: query.pageSize };
  }
}
