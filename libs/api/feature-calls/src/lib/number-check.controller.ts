import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, outboundCapLimits, type AppConfig } from '@switchboard/api-data-access-config';
import { OutboundCallCaps, type OutboundCap } from '@switchboard/api-data-access-db';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import { API_ROUTES, type CheckNumberRequest, type CheckNumberResponse, type NumberRefusalReason } from '@switchboard/shared-contracts';
import { evaluateNumberPolicy } from '@switchboard/shared-util-phone';
import { IsString, Matches, MaxLength } from 'class-validator';

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

/** What the agent reads when a toll-fraud cap refuses the next phone call, whatever the number. */
const CAP_MESSAGES: Readonly<Record<OutboundCap, string>> = {
  'active-call': 'You already have a call to a phone number in progress. Finish it before placing another.',
  'hourly-limit': 'You have reached the limit of calls to phone numbers for this hour. Try again later.',
  'daily-limit': "Today's limit of calls to phone numbers for your organisation has been reached. Contact your administrator.",
};

/**
 * The softphone asks this before dialling a phone number, so a refusal is shown in words rather than
 * as a call that ends. Same policy and caps as the outgoing webhook, which still enforces both (a cap can
 * fill between this check and the call).
 */
@ApiTags('calls')
@Controller()
export class NumberCheckController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly caps: OutboundCallCaps) {}

  @Post(API_ROUTES.calls.checkNumber)
  @HttpCode(200)
  @ApiOkResponse({ description: 'Whether the calling policy allows the number; a refusal carries a sentence for the agent' })
  async checkNumber(@CurrentAgent() agent: SessionAgent, @Body() body: CheckNumberBody): Promise<CheckNumberResponse> {
    const decision = evaluateNumberPolicy(body.to, this.config.numberPolicy);
    if (!decision.allowed) return { allowed: false, reason: decision.reason, message: REFUSAL_MESSAGES[decision.reason] };
    const cap = await this.caps.capReachedNow(agent.identity, outboundCapLimits(this.config), new Date());
    if (cap) return { allowed: false, reason: cap, message: CAP_MESSAGES[cap] };
    return { allowed: true, e164: decision.e164 };
  }
}
