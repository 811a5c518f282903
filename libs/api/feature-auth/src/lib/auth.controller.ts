import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AgentsRepository } from '@switchboard/api-data-access-db';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CurrentAgent, Public, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  API_ROUTES, IDENTITY_PATTERN, IDENTITY_RULE, SESSION_COOKIE, type AgentDirectoryEntry, type AgentProfile, type ClientConfig, type LoginRequest,
} from '@switchboard/shared-contracts';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgentSessions } from './sessions';

export class LoginBody implements LoginRequest {
  @ApiProperty({ example: 'alice' })
  @IsString() @Matches(IDENTITY_PATTERN, { message: `identity must be ${IDENTITY_RULE}` })
  readonly identity!: string;

  @ApiProperty({ example: 'switchboard-demo' })
  @IsString() @MinLength(1) @MaxLength(1024)
  readonly password!: string;
}

const profile = (agent: SessionAgent): AgentProfile => ({ identity: agent.identity, displayName: agent.displayName, role: agent.role });

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly sessions: AgentSessions, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Post(API_ROUTES.auth.login)
  @HttpCode(200)
  @ApiOkResponse({ description: 'Signed in; sets the httpOnly session cookie' })
  async login(@Body() body: LoginBody, @Res({ passthrough: true }) reply: FastifyReply): Promise<AgentProfile> {
    const session = await this.sessions.signIn(body.identity, body.password);
    if (!session) throw new UnauthorizedException('Unknown identity or wrong password');
    void reply.setCookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.sessions.secureCookie,
      path: '/',
      maxAge: session.maxAgeSeconds,
    });
    return profile(session.agent);
  }

  @Public()
  @Post(API_ROUTES.auth.logout)
  @HttpCode(204)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = request.cookies?.[SESSION_COOKIE];
    if (token) await this.sessions.signOut(token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: this.config.sessions.secureCookie });
  }

  @Get(API_ROUTES.auth.me)
  me(@CurrentAgent() agent: SessionAgent): AgentProfile {
    return profile(agent);
  }
}

@ApiTags('agents')
@Controller()
export class AgentDirectoryController {
  constructor(private readonly agents: AgentsRepository, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The enabled agents, for the dialer. */
  @Get(API_ROUTES.agents)
  async list(): Promise<AgentDirectoryEntry[]> {
    return this.agents.listEnabled();
  }

  /** Public: what the client needs before sign-in. Never a secret. */
  @Public()
  @Get(API_ROUTES.clientConfig)
  clientConfig(): ClientConfig {
    return this.config.client;
  }
}
