import { Body, Controller, Get, Header, HttpCode, HttpException, HttpStatus, Inject, Logger, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { AgentsRepository } from '@switchboard/api-data-access-db';
import { VoiceTokenIssuer } from '@switchboard/api-data-access-telephony';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { CurrentAgent, Public, type SessionAgent } from '@switchboard/api-http-boundary';
import {
  API_ROUTES, IDENTITY_PATTERN, IDENTITY_RULE, type AgentDirectoryEntry, type AgentProfile, type ClientConfig, type LoginRequest, type LoginResponse,
  type VoiceTokenResponse,
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

const logger = new Logger('AuthController');

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly sessions: AgentSessions,
    private readonly voiceTokens: VoiceTokenIssuer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post(API_ROUTES.auth.login)
  @HttpCode(200)
  // The answer carries a voice token: no cache may keep it.
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    description: 'Signed in; sets the httpOnly session cookie. The profile, and `voiceToken` (as `POST /api/voice/token` answers) for the phone\'s first registration',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins for this identity or from this address; see Retry-After' })
  async login(@Body() body: LoginBody, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponse> {
    // request.ip is the socket's peer, or X-Forwarded-For's client when the peer is in TRUSTED_PROXIES.
    const session = await this.sessions.signIn(body.identity, body.password, request.ip);
    if (session.kind === 'throttled') {
      void reply.header('Retry-After', String(session.retryAfterSeconds));
      throw new HttpException('Too many failed sign-ins; try again later', HttpStatus.TOO_MANY_REQUESTS);
    }
    if (session.kind === 'refused') throw new UnauthorizedException('Unknown identity or wrong password');
    void reply.setCookie(this.config.sessions.cookieName, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.sessions.secureCookie,
      path: '/',
      maxAge: session.maxAgeSeconds,
    });
    const voiceToken = this.firstVoiceToken(session.agent);
    return voiceToken ? { ...profile(session.agent), voiceToken } : profile(session.agent);
  }

  /**
   * The session's first voice token, for the session's identity (the stored one, not the body's), so the
   * phone registers without another round trip. Not counted against the token route's per-agent limit:
   * sign-in has its own limits (SignInThrottle) and each successful sign-in yields at most this one token.
   * A token that cannot be signed leaves the sign-in standing: the phone then asks the token route, which
   * reports the failure.
   */
  private firstVoiceToken(agent: SessionAgent): VoiceTokenResponse | undefined {
    try {
      const { token, expiresAt } = this.voiceTokens.issue(agent.identity);
      return { token, identity: agent.identity, expiresAt: expiresAt.toISOString() };
    } catch (error) {
      logger.warn(`Signed in ${agent.identity} without a voice token: ${(error as Error).message}`);
      return undefined;
    }
  }

  @Public()
  @Post(API_ROUTES.auth.logout)
  @HttpCode(204)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = request.cookies?.[this.config.sessions.cookieName];
    if (token) await this.sessions.signOut(token);
    void reply.clearCookie(this.config.sessions.cookieName, { path: '/', httpOnly: true, sameSite: 'strict', secure: this.config.sessions.secureCookie });
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

  /**
   * The colleagues the signed-in agent may call: every other enabled agent, supervisors included (an
   * agent calls one for help), as identity and display name only. Never roles, so the directory does
   * not point out which sign-in names are worth guessing; never disabled agents, who cannot be reached.
   */
  @Get(API_ROUTES.agents)
  async list(@CurrentAgent() agent: SessionAgent): Promise<AgentDirectoryEntry[]> {
    const enabled = await this.agents.listEnabled();
    return enabled.filter((entry) => entry.identity !== agent.identity)
      .map(({ identity, displayName }) => ({ identity, displayName }));
  }

  /** Public: what the client needs before sign-in. Never a secret. */
  @Public()
  @Get(API_ROUTES.clientConfig)
  clientConfig(): ClientConfig {
    return this.config.client;
  }
}
