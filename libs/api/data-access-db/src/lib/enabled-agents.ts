import { Injectable } from '@nestjs/common';
import { AgentsRepository, type AgentRow } from './repositories';

/**
 * How long an enabled agent found in the database is trusted without asking again. The same bound as
 * the session cache (feature-auth): an agent disabled by another process (the admin command on
 * Postgres, another API instance) can still place a call here for at most this long. Agents that are
 * missing or disabled are never cached, so a new or re-enabled agent is seen at once.
 */
export const ENABLED_AGENT_CACHE_MS = 5_000;
const ENABLED_AGENT_CACHE_MAX = 10_000;

/**
 * Enabled-agent lookups for the webhooks' hot path (every outgoing call checks caller and callee).
 * Keeps them off the single-threaded embedded database; lookups of one identity already under way are
 * shared instead of queued twice.
 */
@Injectable()
export class EnabledAgents {
  private readonly cached = new Map<string, { agent: AgentRow; until: number }>();
  private readonly inFlight = new Map<string, Promise<AgentRow | undefined>>();

  /** The clock; tests move it. */
  now: () => number = Date.now;

  constructor(private readonly agents: AgentsRepository) {}

  async find(identity: string): Promise<AgentRow | undefined> {
    const hit = this.cached.get(identity);
    if (hit && hit.until > this.now()) return hit.agent;
    const pending = this.inFlight.get(identity);
    if (pending) return pending;
    const lookup = this.agents.findEnabled(identity).then((agent) => {
      if (agent) {
        if (this.cached.size >= ENABLED_AGENT_CACHE_MAX) this.cached.clear();
        this.cached.set(identity, { agent, until: this.now() + ENABLED_AGENT_CACHE_MS });
      } else {
        this.cached.delete(identity);
      }
      return agent;
    }).finally(() => this.inFlight.delete(identity));
    this.inFlight.set(identity, lookup);
    return lookup;
  }
}
