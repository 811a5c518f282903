import { Controller, Header, HttpCode, HttpException, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { VoiceTokenIssuer } from '@switchboard/api-data-access-telephony';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import { API_ROUTES, type VoiceTokenResponse } from '@switchboard/shared-contracts';
import type { FastifyReply } from 'fastify';
import { SlidingWindowLimiter } from './sliding-window-limiter';

@ApiTags('voice')
@Controller()
export class TokensController {
  private readonly limiter: SlidingWindowLimiter;

  constructor(private readonly issuer: VoiceTokenIssuer, @Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new SlidingWindowLimiter(config.voiceToken.rateLimitMax, config.voiceToken.rateLimitWindowSeconds * 1000);
  }

  /** A Voice access token for the signed-in agent. The identity is the session's; the body is ignored. */
  @Post(API_ROUTES.voice.token)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'Twilio AccessToken with a VoiceGrant' })
  @ApiTooManyRequestsResponse({ description: 'Per-agent rate limit; see Retry-After' })
  issue(@CurrentAgent() agent: SessionAgent, @Res({ passthrough: true }) reply: FastifyReply): VoiceTokenResponse {
    const retryAfter = this.limiter.take(agent.id);
    if (retryAfter !== null) {
      void reply.header('Retry-After', String(retryAfter));
      throw new HttpException('Too many token requests; retry later', HttpStatus.TOO_MANY_REQUESTS);
    }
    const { token, expiresAt } = this.issuer.issue(agent.identity);
    return { token, identity: agent.identity, expiresAt: expiresAt.toISOString() };
  }
}
