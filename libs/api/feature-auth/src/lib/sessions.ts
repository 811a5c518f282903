import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AgentsRepository, SessionsRepository, SignInFailuresRepository } from '@switchboard/api-data-access-db';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { AgentSignOuts } from '@switchboard/api-data-access-presence';
import type { SessionAgent } from '@switchboard/api-http-boundary';
import { hashPassword, needsRehash, UNKNOWN_AGENT_HASH, verifyPassword } from './password-hasher';
import { SignInThrottle } from './sign-in-throttle';

export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly token: string; readonly agent: SessionAgent; readonly maxAgeSeconds: number }
  /** Unknown identity, disabled agent or wrong password: one answer for all. */
  | { readonly kind: 'refused' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

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
  private readonly logger = new Logger('AgentSessions');
  /** Sessions verified within SESSION_CACHE_MS, by cookie value (bounded: cleared when full). */
  private readonly verified = new Map<string, { agent: SessionAgent; until: number }>();

  constructor(
    private readonly agents: AgentsRepository,
    private readonly sessions: SessionsRepository,
    private readonly throttle: SignInThrottle,
    private readonly failures: SignInFailuresRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    /** Told of each sign-out (api-feature-availability removes presence and puts the agent offline). */
    @Optional() private readonly signOuts?: AgentSignOuts,
  ) {}

  /**
   * A new session for valid credentials of an enabled agent. Within the sign-in limits (else
   * `throttled`), every attempt costs one scrypt verify at today's parameters, known identity or not.
   * A hash made with older parameters is replaced by a stronger one while the password is at hand.
   */
  async signIn(identity: string, password: string, source: string): Promise<SignInOutcome> {
    const attempt = await this.throttle.begin(identity, source);
    if ('retryAfterSeconds' in attempt) return { kind: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
    const agent = await this.agents.findByIdentity(identity);
    const isValid = await verifyPassword(password, agent?.passwordHash ?? UNKNOWN_AGENT_HASH);
    if (!agent || !agent.enabled || !isValid) {
      await attempt.failed();
      return { kind: 'refused' };
    }
    await attempt.succeeded();
    if (needsRehash(agent.passwordHash)) await this.upgradeHash(agent.id, agent.identity, agent.passwordHash, password);
    const token = randomBytes(32).toString('base64url');
    const maxAgeSeconds = this.config.sessions.ttlSeconds;
    await this.sessions.create(hashToken(token), agent.id, new Date(Date.now() + maxAgeSeconds * 1000));
    return { kind: 'signed-in', token, agent: toSessionAgent(agent), maxAgeSeconds };
  }

  /** Best effort: a failed upgrade leaves the old hash, which still verifies, and is tried again next time. */
  private async upgradeHash(agentId: string, identity: string, verifiedHash: string, password: string): Promise<void> {
    try {
      if (await this.failures.upgradePasswordHash(agentId, verifiedHash, await hashPassword(password))) {
        this.logger.log(`Password hash of ${identity} upgraded to the current scrypt parameters`);
      }
    } catch (error) {
      this.logger.warn(`Could not upgrade the password hash of ${identity}: ${(error as Error).message}`);
    }
  }

  async agentFor(token: string): Promise<SessionAgent | null> {
    const now = Date.now();
    // Keyed by the cookie's value, not its hash: a hit within the TTL costs no SHA-256 (it was ~3 % of the
    // token route's CPU). Only tokens that passed the format check and the database are ever cached.
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.until > now) return cached.agent;
      this.verified.delete(token);
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const row = await this.sessions.findAgent(hashToken(token), new Date(now));
    if (!row) return null;
    const agent = toSessionAgent(row);
    if (this.verified.size >= SESSION_CACHE_MAX) this.verified.clear();
    this.verified.set(token, { agent, until: now + SESSION_CACHE_MS });
    return agent;
  }

  async signOut(token: string): Promise<void> {
    const agent = this.signOuts ? await this.agentFor(token) : null;
    const tokenHash = hashToken(token);
    this.verified.delete(token);
    await this.sessions.delete(tokenHash);
    if (agent) await this.signOuts?.signedOut(agent.identity);
  }
}

function toSessionAgent(agent: { id: string; identity: string; displayName: string; role: 'agent' | 'supervisor' }): SessionAgent {
  return { id: agent.id, identity: agent.identity, displayName: agent.displayName, role: agent.role };
}
