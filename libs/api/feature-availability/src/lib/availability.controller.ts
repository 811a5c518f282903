import { Body, Controller, Get, HttpCode, HttpStatus, Param, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags,
} from '@nestjs/swagger';
import { AgentsRepository } from '@switchboard/api-data-access-db';
import { CurrentAgent, FieldException, RequireRole, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  API_ROUTES, CHOSEN_AVAILABILITY_STATES, IDENTITY_PATTERN, WRAP_UP_NOTE_MAX_LENGTH, type AgentAvailability, type AvailabilityHistoryResponse,
  type AvailabilityResponse, type ChosenAvailabilityState, type SetAgentAvailabilityRequest, type SetAvailabilityRequest,
} from '@switchboard/shared-contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AgentAvailabilityService } from './availability.service';

// `state`, `reason` and `disposition` are checked by the service against the states and the configured
// lists (400 naming the field); the DTOs check types and lengths only.
export class SetAgentAvailabilityBody implements SetAgentAvailabilityRequest {
  @ApiProperty({ enum: CHOSEN_AVAILABILITY_STATES, example: 'away' })
  @IsString() @MaxLength(40)
  readonly state!: ChosenAvailabilityState;

  @ApiPropertyOptional({ description: 'An AWAY_REASONS id; required with away', example: 'break' })
  @IsOptional() @IsString() @MaxLength(40)
  readonly reason?: string;
}

export class SetAvailabilityBody extends SetAgentAvailabilityBody implements SetAvailabilityRequest {
  @ApiPropertyOptional({ description: 'A DISPOSITION_CODES id; required to end wrap-up', example: 'resolved' })
  @IsOptional() @IsString() @MaxLength(40)
  readonly disposition?: string;

  @ApiPropertyOptional({ maxLength: WRAP_UP_NOTE_MAX_LENGTH })
  @IsOptional() @IsString() @MaxLength(WRAP_UP_NOTE_MAX_LENGTH, { message: `note must be at most ${WRAP_UP_NOTE_MAX_LENGTH} characters` })
  readonly note?: string;
}

export class AvailabilityHistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  readonly limit: number = 50;
}

const AGENT_AVAILABILITY_ROUTE = API_ROUTES.agentAvailability('IDENTITY').replace('IDENTITY', ':identity');

/** `/api/availability` (the signed-in agent's own state) and `/api/agents/{identity}/availability` (supervisors). */
@ApiTags('availability')
@Controller()
export class AvailabilityController {
  constructor(private readonly availability: AgentAvailabilityService, private readonly agents: AgentsRepository) {}

  @Get(API_ROUTES.availability)
  @ApiOkResponse({ description: 'Your state, the away reasons and dispositions to choose from, and the wrap-up time' })
  own(@CurrentAgent() agent: SessionAgent): Promise<AvailabilityResponse> {
    return this.availability.ownView(agent.identity);
  }

  @Put(API_ROUTES.availability)
  @HttpCode(200)
  @ApiOkResponse({ description: 'Your new state (unchanged if it was already this one)' })
  @ApiBadRequestResponse({ description: 'A state, reason, disposition or note that is not allowed; `field` names it' })
  @ApiConflictResponse({ description: 'You are on a call, or a disposition came after the wrap-up ended' })
  setOwn(@CurrentAgent() agent: SessionAgent, @Body() body: SetAvailabilityBody): Promise<AgentAvailability> {
    return this.availability.chooseOwn(agent.identity, body);
  }

  @Get(API_ROUTES.availabilityHistory)
  @ApiOkResponse({ description: 'Your changes of state, newest first' })
  async history(@CurrentAgent() agent: SessionAgent, @Query() query: AvailabilityHistoryQuery): Promise<AvailabilityHistoryResponse> {
    return { changes: await this.availability.history(agent.identity, query.limit) };
  }

  @Put(AGENT_AVAILABILITY_ROUTE)
  @HttpCode(200)
  @RequireRole('supervisor')
  @ApiOkResponse({ description: "The agent's new state; the agent is told by agent.availability" })
  @ApiForbiddenResponse({ description: "Only supervisors may set another agent's state" })
  @ApiNotFoundResponse({ description: 'No enabled agent has this identity' })
  async setForAgent(
    @CurrentAgent() supervisor: SessionAgent, @Param('identity') identity: string, @Body() body: SetAgentAvailabilityBody,
  ): Promise<AgentAvailability> {
    const agent = IDENTITY_PATTERN.test(identity) ? await this.agents.findEnabled(identity) : undefined;
    if (!agent) throw new FieldException(HttpStatus.NOT_FOUND, 'No enabled agent has this identity', 'identity');
    return this.availability.setBySupervisor(supervisor.identity, agent.identity, body);
  }
}
