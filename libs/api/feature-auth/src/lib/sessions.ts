import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AgentsRepository, SessionsRepository } from '@switchboard/api-data-access-db';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import type { SessionAgent } from '@switchboard/api-http-boundary';
import { UNKNOWN_AGENT_HASH, verifyPassword } from './password-hasher';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * How long a verified session is trusted without asking the database again. Keeps the hot token
 * route off the (single-threaded, embedded) database; the cost is that a session ended on another
 * instance, or an agent disabled, stays usable here for at most this long. Sign-out on this
 * instance evicts at once.
 */
export const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;

/** Server-side sessions: the cookie carries a random id; the database keeps its hash and expiry. */
@Injectable()
export class AgentSessions {
  private readonly verified = new Map<string, { agent: SessionAgent; until: number }>();

  constructor(
    private readonly agents: AgentsRepository,
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session token for valid credentials of an enabled agent; null otherwise. */
  async signIn(identity: string, password: string): Promise<{ token: string; agent: SessionAgent; maxAgeSeconds: number } | null> {
    const agent = await this.agents.findByIdentity(identity);
    const isValid = await verifyPassword(password, agent?.passwordHash ?? UNKNOWN_AGENT_HASH);
    if (!agent || !agent.enabled || !isValid) return null;
    const token = randomBytes(32).toString('base64url');
    const maxAgeSeconds = this.config.sessions.ttlSeconds;
    await this.sessions.create(hashToken(token), agent.id, new Date(Date.now() + maxAgeSeconds * 1000));
    return { token, agent: toSessionAgent(agent), maxAgeSeconds };
  }

  async agentFor(token: string): Promise<SessionAgent | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const tokenHash = hashToken(token);
    const now = Date.now();
    const cached = this.verified.get(tokenHash);
    if (cached && cached.until > now) return cached.agent;
    const row = await this.sessions.findAgent(tokenHash, new Date(now));
    if (!row) {
      this.verified.delete(tokenHash);
      return null;
    }
    const agent = toSessionAgent(row);
    if (this.verified.size >= SESSION_CACHE_MAX) this.verified.clear();
    this.verified.set(tokenHash, { agent, until: now + SESSION_CACHE_MS });
    return agent;
  }

  async signOut(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    this.verified.delete(tokenHash);
    await this.sessions.delete(tokenHash);
  }
}

function toSessionAgent(agent: { id: string; identity: string; displayName: string; role: 'agent' | 'supervisor' }): SessionAgent {
  return { id: agent.id, identity: agent.identity, displayName: agent.displayName, role: agent.role };
}
