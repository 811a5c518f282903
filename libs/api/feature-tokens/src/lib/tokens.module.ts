import { Module } from '@nestjs/common';
import { RateLimitRepository } from '@switchboard/api-data-access-db';
import { TokensController } from './tokens.controller';

@Module({ controllers: [TokensController], providers: [RateLimitRepository] })
export class TokensModule {}
