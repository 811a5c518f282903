import { Controller, Header, HttpCode, HttpException, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { VoiceTokenIssuer } from '@switchboard/api-data-access-telephony';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { RateLimitRepository, type RateLimit } from '@switchboard/api-data-access-db';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import { API_ROUTES, type VoiceTokenResponse } from '@switchboard/shared-contracts';
import type { FastifyReply } from 'fastify';

/** The rate-limit key of an agent's token requests (one key space shared with other limits). */
const voiceTokenRateKey = (agentId: string) => `voice-token:${agentId}`;

@ApiTags('voice')
@Controller()
export class TokensController {
  private readonly limit: RateLimit;

  constructor(private readonly issuer: VoiceTokenIssuer, private readonly rateLimits: RateLimitRepository, @Inject(APP_CONFIG) config: AppConfig) {
    this.limit = { max: config.voiceToken.rateLimitMax, windowSeconds: config.voiceToken.rateLimitWindowSeconds };
  }

  /**
   * A Voice access token for the signed-in agent. The identity is the session's; the body is ignored.
   * The per-agent limit is counted in the database (one statement per request), so it holds however
   * many API instances share it.
   */
  @Post(API_ROUTES.voice.token)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'Twilio AccessToken with a VoiceGrant' })
  @ApiTooManyRequestsResponse({ description: 'Per-agent rate limit; see Retry-After' })
  async issue(@CurrentAgent() agent: SessionAgent, @Res({ passthrough: true }) reply: FastifyReply): Promise<VoiceTokenResponse> {
    const retryAfter = await this.rateLimits.take(voiceTokenRateKey(agent.id), this.limit);
    if (retryAfter > 0) {
      void reply.header('Retry-After', String(retryAfter));
      throw new HttpException('Too many token requests; retry later', HttpStatus.TOO_MANY_REQUESTS);
    }
    const { token, expiresAt } = this.issuer.issue(agent.identity);
    return { token, identity: agent.identity, expiresAt: expiresAt.toISOString() };
  }
}
