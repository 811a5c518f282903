import { BadGatewayException, Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AgentsRepository, CallStartWriter } from '@switchboard/api-data-access-db';
import { AgentDialer, TelephonyError } from '@switchboard/api-data-access-telephony';
import { APP_CONFIG, publicUrl, type AppConfig } from '@switchboard/api-data-access-config';
import { CurrentAgent, FieldException, RequireRole, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  API_ROUTES, clientAddress, IDENTITY_PATTERN, IDENTITY_RULE, WEBHOOK_ROUTES, type CallStatus, type RingAgentRequest, type RingAgentResponse,
} from '@switchboard/shared-contracts';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class RingAgentBody implements RingAgentRequest {
  @ApiProperty({ example: 'bob' })
  @IsString() @Matches(IDENTITY_PATTERN, { message: `identity must be ${IDENTITY_RULE}` })
  readonly identity!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200)
  readonly reason?: string;
}

/** A supervisor rings an agent's softphone through the REST API; the outcome arrives as status callbacks. */
@ApiTags('calls')
@Controller()
export class AgentRingController {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly callStarts: CallStartWriter,
    private readonly dialer: AgentDialer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(API_ROUTES.calls.ringAgent)
  @HttpCode(201)
  @RequireRole('supervisor')
  @ApiOkResponse({ description: 'The REST call was created' })
  @ApiForbiddenResponse({ description: 'Only supervisors may ring agents' })
  async ringAgent(@CurrentAgent() supervisor: SessionAgent, @Body() body: RingAgentBody): Promise<RingAgentResponse> {
    const target = await this.agents.findEnabled(body.identity);
    if (!target) throw new FieldException(HttpStatus.NOT_FOUND, 'No enabled agent has this identity', 'identity');
    const to = clientAddress(target.identity);
    try {
      const { callSid, status } = await this.dialer.ring({
        to,
        from: this.config.twilio.callerId,
        url: publicUrl(this.config, WEBHOOK_ROUTES.ringAgentAnswered, { supervisor: supervisor.identity }),
        // The same ring time as every other call to an agent (DIAL_TIMEOUT_SECONDS): Twilio allows 600 s, agents' phones ring short.
        timeoutSeconds: this.config.calls.dialTimeoutSeconds,
        statusCallbackUrl: publicUrl(this.config, WEBHOOK_ROUTES.status),
      });
      await this.callStarts.record({
        callSid, direction: 'outbound', from: this.config.twilio.callerId, to,
        participants: [target.identity, supervisor.identity], voicemailTarget: null, status: 'queued', at: new Date(),
      });
      return { callSid, status: status as CallStatus };
    } catch (error) {
      if (error instanceof TelephonyError) throw new BadGatewayException('The telephony provider did not accept the call');
      throw error;
    }
  }
}
