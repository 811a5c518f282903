import type { AgentPresence } from './reachability';
import { VersionedPresenceStore, type VersionedPresence } from './versioned-presence-store';

/** One API instance's presence (REDIS_URL unset): maps in this process, the same rules as Redis. */
export class MemoryPresenceStore extends VersionedPresenceStore {
  private readonly agents = new Map<string, { presence: AgentPresence; version: number }>();
  private readonly deadlines = new Map<string, number>();

  constructor(timeoutMs: number) {
    super(timeoutMs);
  }

  protected async load(identities: readonly string[]): Promise<Map<string, VersionedPresence>> {
    return new Map(identities.map((identity) => {
      const stored = this.agents.get(identity);
      return [identity, stored ? { presence: stored.presence, version: String(stored.version) } : { presence: { tabs: [], announced: null }, version: '' }];
    }));
  }

  protected async save(identity: string, version: string, next: AgentPresence, deadline: number | null): Promise<boolean> {
    const stored = this.agents.get(identity);
    if ((stored ? String(stored.version) : '') !== version) return false;
    this.agents.set(identity, { presence: next, version: (stored?.version ?? 0) + 1 });
    if (deadline === null) this.deadlines.delete(identity);
    else this.deadlines.set(identity, deadline);
    return true;
  }

  protected async due(now: number, limit: number): Promise<string[]> {
    return [...this.deadlines].filter(([, deadline]) => deadline <= now).sort((a, b) => a[1] - b[1]).slice(0, limit).map(([identity]) => identity);
  }

  protected async claim(identity: string, now: number): Promise<boolean> {
    const deadline = this.deadlines.get(identity);
    if (deadline === undefined || deadline > now) return false;
    this.deadlines.delete(identity);
    return true;
  }
}
