import { Controller, Header, HttpCode, HttpException, HttpStatus, Inject, Logger, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { VoiceTokenIssuer } from '@switchboard/api-data-access-telephony';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CurrentAgent, type SessionAgent } from '@switchboard/api-http-boundary';
import { API_ROUTES, type VoiceTokenResponse } from '@switchboard/shared-contracts';
import type { FastifyReply } from 'fastify';
import { RATE_LIMITER, RateLimiterUnavailableError, type RateLimit, type RateLimiter } from './rate-limiter';

/** The rate-limit key of an agent's token requests (one key space shared with other limits). */
const voiceTokenRateKey = (agentId: string) => `voice-token:${agentId}`;

const logger = new Logger('TokensController');

@ApiTags('voice')
@Controller()
export class TokensController {
  private readonly limit: RateLimit;

  constructor(private readonly issuer: VoiceTokenIssuer, @Inject(RATE_LIMITER) private readonly rateLimits: RateLimiter, @Inject(APP_CONFIG) config: AppConfig) {
    this.limit = { max: config.voiceToken.rateLimitMax, windowSeconds: config.voiceToken.rateLimitWindowSeconds };
  }

  /**
   * A Voice access token for the signed-in agent. The identity is the session's; the body is ignored.
   * The per-agent limit holds however many API instances share it: counted in memory on the embedded
   * engine (one instance), in Redis when the instances share one, else in the database (see createRateLimiter).
   * When the limit cannot be counted the request is refused (503), never let through unlimited.
   */
  @Post(API_ROUTES.voice.token)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'Twilio AccessToken with a VoiceGrant' })
  @ApiTooManyRequestsResponse({ description: 'Per-agent rate limit; see Retry-After' })
  @ApiServiceUnavailableResponse({ description: 'The rate limit could not be counted (Redis unreachable); see Retry-After' })
  async issue(@CurrentAgent() agent: SessionAgent, @Res({ passthrough: true }) reply: FastifyReply): Promise<VoiceTokenResponse> {
    const retryAfter = await this.rateLimits.take(voiceTokenRateKey(agent.id), this.limit).catch((error: unknown) => {
      if (!(error instanceof RateLimiterUnavailableError)) throw error;
      logger.warn(`Refused a voice token: ${error.message}`);
      void reply.header('Retry-After', '5');
      throw new HttpException('The token rate limit cannot be checked right now; retry shortly', HttpStatus.SERVICE_UNAVAILABLE);
    });
    if (retryAfter > 0) {
      void reply.header('Retry-After', String(retryAfter));
      throw new HttpException('Too many token requests; retry later', HttpStatus.TOO_MANY_REQUESTS);
    }
    const { token, expiresAt } = this.issuer.issue(agent.identity);
    return { token, identity: agent.identity, expiresAt: expiresAt.toISOString() };
  }
}
