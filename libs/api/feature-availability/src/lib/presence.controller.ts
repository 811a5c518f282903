import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  API_ROUTES, SID_PATTERNS, type PresenceCallQuality, type PresenceDeviceState, type PresenceLifecycle, type PresenceReport, type PresenceResponse,
} from '@switchboard/shared-contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { AgentPresenceService } from './agent-presence.service';

const DEVICE_STATES: readonly PresenceDeviceState[] = ['registered', 'registering', 'unregistered', 'destroyed'];
const LIFECYCLES: readonly PresenceLifecycle[] = ['active', 'passive', 'hidden', 'frozen', 'terminated'];

export class PresenceCallBody implements PresenceCallQuality {
  @ApiProperty({ example: 'CA0123456789abcdef0123456789abcdef' })
  @IsString() @Matches(SID_PATTERNS.call, { message: 'callSid must be a CallSid (CA and 32 hex digits)' })
  readonly callSid!: string;

  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5, description: "The SDK's latest MOS; null before the first sample" })
  @ValidateIf((body: PresenceCallBody) => body.mos !== null) @IsNumber() @Min(1) @Max(5)
  readonly mos!: number | null;

  @ApiProperty({ type: [String], example: ['high-jitter'] })
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(60, { each: true })
  readonly warnings!: string[];
}

export class PresenceReportBody implements PresenceReport {
  @ApiProperty({ description: 'Random per tab, 8–64 of [A-Za-z0-9_-]', example: 'k3J9x_2mQp' })
  @IsString() @Matches(/^[A-Za-z0-9_-]{8,64}$/, { message: 'tabId must be 8 to 64 letters, digits, _ or -' })
  readonly tabId!: string;

  @ApiProperty({ enum: DEVICE_STATES })
  @IsIn(DEVICE_STATES, { message: `device must be one of ${DEVICE_STATES.join(', ')}` })
  readonly device!: PresenceDeviceState;

  @ApiProperty({ enum: LIFECYCLES })
  @IsIn(LIFECYCLES, { message: `lifecycle must be one of ${LIFECYCLES.join(', ')}` })
  readonly lifecycle!: PresenceLifecycle;

  @ApiPropertyOptional({ type: PresenceCallBody, description: 'The call the tab is on, with its live quality' })
  @IsOptional() @ValidateNested() @Type(() => PresenceCallBody)
  readonly call?: PresenceCallBody;
}

/** `PUT /api/presence`: the signed-in agent's tab reports its Device and page state (identity from the session only). */
@ApiTags('presence')
@Controller()
export class PresenceController {
  constructor(private readonly presence: AgentPresenceService) {}

  @Put(API_ROUTES.presence)
  @HttpCode(200)
  @ApiOkResponse({ description: 'Your reachability as the API now sees it' })
  @ApiBadRequestResponse({ description: 'A field that is missing or not allowed; `field` names it' })
  report(@CurrentAgent() agent: SessionAgent, @Body() body: PresenceReportBody): Promise<PresenceResponse> {
    return this.presence.report(agent.identity, body);
  }
}
