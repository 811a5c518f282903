import { BadGatewayException, Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AgentsRepository, CallsRepository } from '@switchboard/api-data-access-db';
import { AgentDialer, TelephonyError } from '@switchboard/api-data-access-telephony';
import { APP_CONFIG, publicUrl, type AppConfig } from '@switchboard/api-util-config';
import { CurrentAgent, FieldException, RequireRole, type SessionAgent } from '@switchboard/api-util-http';
import {
  API_ROUTES, WEBHOOK_ROUTES, type CallRecord, type CallStatus, type CheckNumberRequest, type CheckNumberResponse,
  type NumberRefusalReason, type Page, type RingAgentRequest, type RingAgentResponse,
} from '@switchboard/shared-contracts';
import { evaluateNumberPolicy } from '@switchboard/shared-util-phone';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { HttpStatus } from '@nestjs/common';

export class CallPageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000)
  readonly page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  readonly pageSize: number = 20;
}

export class RingAgentBody implements RingAgentRequest {
  @ApiProperty({ example: 'bob' })
  @IsString() @Matches(/^[A-Za-z0-9_]{1,121}$/, { message: 'identity must be 1–121 letters, digits or underscores' })
  readonly identity!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200)
  readonly reason?: string;
}

export class CheckNumberBody implements CheckNumberRequest {
  @ApiProperty({ example: '+14155550111', maxLength: 64 })
  @IsString() @MaxLength(64) @Matches(/\S/, { message: 'to must not be empty' })
  readonly to!: string;
}

/** What the agent reads when the policy refuses a number: plain, and never the number itself. */
const REFUSAL_MESSAGES: Readonly<Record<NumberRefusalReason, string>> = {
  unparseable: 'This is not a valid phone number. Enter it in international form, with + and the country code.',
  'country-not-allowed': "Calls to this country or region are blocked by your organisation's calling policy.",
  'blocked-type': "Premium-rate numbers are blocked by your organisation's calling policy.",
  // The blocked ranges are premium-rate and known toll-fraud ranges (e.g. +1 900, +882).
  'blocked-prefix': "Premium-rate and other high-cost number ranges are blocked by your organisation's calling policy.",
};

@ApiTags('calls')
@Controller()
export class CallHistoryController {
  constructor(
    private readonly calls: CallsRepository,
    private readonly agents: AgentsRepository,
    private readonly dialer: AgentDialer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Calls the signed-in agent made or was rung for, newest first. */
  @Get(API_ROUTES.calls.list)
  async list(@CurrentAgent() agent: SessionAgent, @Query() query: CallPageQuery): Promise<Page<CallRecord>> {
    const { items, total } = await this.calls.pageForAgent(agent.identity, query.page, query.pageSize);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /**
   * The softphone asks this before dialling a phone number, so a refusal is shown in words rather
   * than as a call that ends. Same policy as the outgoing webhook, which still enforces it.
   */
  @Post(API_ROUTES.calls.checkNumber)
  @HttpCode(200)
  @ApiOkResponse({ description: 'Whether the calling policy allows the number; a refusal carries a sentence for the agent' })
  checkNumber(@Body() body: CheckNumberBody): CheckNumberResponse {
    const decision = evaluateNumberPolicy(body.to, this.config.numberPolicy);
    if (decision.allowed) return { allowed: true, e164: decision.e164 };
    return { allowed: false, reason: decision.reason, message: REFUSAL_MESSAGES[decision.reason] };
  }

  /** A supervisor rings an agent's softphone through the REST API; the outcome arrives as status callbacks. */
  @Post(API_ROUTES.calls.ringAgent)
  @HttpCode(201)
  @RequireRole('supervisor')
  @ApiOkResponse({ description: 'The REST call was created' })
  @ApiForbiddenResponse({ description: 'Only supervisors may ring agents' })
  async ringAgent(@CurrentAgent() supervisor: SessionAgent, @Body() body: RingAgentBody): Promise<RingAgentResponse> {
    const target = await this.agents.findEnabled(body.identity);
    if (!target) throw new FieldException(HttpStatus.NOT_FOUND, 'No enabled agent has this identity', 'identity');
    try {
      const { callSid, status } = await this.dialer.ring({
        to: `client:${target.identity}`,
        from: this.config.twilio.callerId,
        url: publicUrl(this.config, WEBHOOK_ROUTES.ringAgentAnswered, { supervisor: supervisor.identity }),
        // The same ring time as every other call to an agent (DIAL_TIMEOUT_SECONDS): Twilio allows 600 s, agents' phones ring short.
        timeoutSeconds: this.config.calls.dialTimeoutSeconds,
        statusCallbackUrl: publicUrl(this.config, WEBHOOK_ROUTES.status),
      });
      await this.calls.recordCallStart({
        callSid, direction: 'outbound', from: this.config.twilio.callerId, to: `client:${target.identity}`,
        participants: [target.identity, supervisor.identity], voicemailTarget: null, status: 'queued', at: new Date(),
      });
      return { callSid, status: status as CallStatus };
    } catch (error) {
      if (error instanceof TelephonyError) throw new BadGatewayException('The telephony provider did not accept the call');
      throw error;
    }
  }
}
