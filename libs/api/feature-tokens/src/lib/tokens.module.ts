import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/api-data-access-config';
import { RateLimitRepository } from '@switchboard/api-data-access-db';
import { createRateLimiter } from './create-rate-limiter';
import { RATE_LIMITER, type RateLimiter } from './rate-limiter';
import { TokensController } from './tokens.controller';

@Module({
  controllers: [TokensController],
  providers: [RateLimitRepository, { provide: RATE_LIMITER, inject: [APP_CONFIG, RateLimitRepository], useFactory: createRateLimiter }],
})
export class TokensModule implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMITER) private readonly limiter: RateLimiter) {}

  /** After the HTTP server has closed, so a token request still finishing can take its slot. */
  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close?.();
  }
}
