import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { IS_PUBLIC_KEY, REQUIRED_ROLE_KEY, SESSION_AGENT_KEY } from '@switchboard/api-http-boundary';
import type { AgentRole } from '@switchboard/shared-contracts';
import type { FastifyRequest } from 'fastify';
import { AgentSessions } from './sessions';

interface RouteRules { readonly isPublic: boolean; readonly requiredRole: AgentRole | undefined }

/** Global guard: every route needs a session unless marked @Public() (webhooks bring their own guard). */
@Injectable()
export class SessionGuard implements CanActivate {
  /** Per handler, then per controller class (an inherited handler may sit on several controllers). */
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: AgentSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, requiredRole } = this.routeRules(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & Record<string, unknown>>();
    const token = request.cookies?.[this.config.sessions.cookieName];
    const agent = token ? await this.sessions.agentFor(token) : null;
    if (!agent) throw new UnauthorizedException('Sign in first');
    if (requiredRole && agent.role !== requiredRole) throw new ForbiddenException(`Only a ${requiredRole} may do this`);
    request[SESSION_AGENT_KEY] = agent;
    return true;
  }

  /**
   * A route's @Public() and @RequireRole(), read once per handler: decorators are fixed at boot, and two
   * reflector look-ups per request showed in the token route's profile.
   */
  private routeRules(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const controller = context.getClass();
    const known = this.rules.get(handler)?.get(controller);
    if (known) return known;
    const targets = [handler, controller];
    const rules: RouteRules = {
      isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true,
      requiredRole: this.reflector.getAllAndOverride<AgentRole | undefined>(REQUIRED_ROLE_KEY, targets),
    };
    const byController = this.rules.get(handler) ?? new WeakMap<object, RouteRules>();
    byController.set(controller, rules);
    this.rules.set(handler, byController);
    return rules;
  }
}
