import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AgentRole } from '@switchboard/shared-contracts';

/** The agent a valid session belongs to; the auth guard attaches it to the request. */
export interface SessionAgent {
  readonly id: string;
  readonly identity: string;
  readonly displayName: string;
  readonly role: AgentRole;
}

/** Where the auth guard stores the agent on the (Fastify) request. */
export const SESSION_AGENT_KEY = 'sessionAgent';
export const IS_PUBLIC_KEY = 'switchboard:isPublic';
export const REQUIRED_ROLE_KEY = 'switchboard:requiredRole';

/** Opts a route out of the global session guard (health, client config, login, webhooks). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** Restricts a route to one role; the global guard answers 403 for anyone else. */
export const RequireRole = (role: AgentRole) => SetMetadata(REQUIRED_ROLE_KEY, role);

/** The signed-in agent. Identity always comes from the session, never from the request's input. */
export const CurrentAgent = createParamDecorator((_data: unknown, context: ExecutionContext): SessionAgent => {
  const request = context.switchToHttp().getRequest<Record<string, unknown>>();
  const agent = request[SESSION_AGENT_KEY] as SessionAgent | undefined;
  if (!agent) throw new Error('CurrentAgent used on a route without a session guard');
  return agent;
});
