import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { IS_PUBLIC_KEY, REQUIRED_ROLE_KEY, SESSION_AGENT_KEY } from '@switchboard/api-http-boundary';
import type { AgentRole } from '@switchboard/shared-contracts';
import type { FastifyRequest } from 'fastify';
import { AgentSessions } from './sessions';

/** Global guard: every route needs a session unless marked @Public() (webhooks bring their own guard). */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: AgentSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & Record<string, unknown>>();
    const token = request.cookies?.[this.config.sessions.cookieName];
    const agent = token ? await this.sessions.agentFor(token) : null;
    if (!agent) throw new UnauthorizedException('Sign in first');
    const requiredRole = this.reflector.getAllAndOverride<AgentRole | undefined>(REQUIRED_ROLE_KEY, targets);
    if (requiredRole && agent.role !== requiredRole) throw new ForbiddenException(`Only a ${requiredRole} may do this`);
    request[SESSION_AGENT_KEY] = agent;
    return true;
  }
}
