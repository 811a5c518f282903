import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import type { AgentRole } from '@switchboard/shared-contracts';
import { DATABASE, Database } from '../database';
import { agents, sessions } from '../schema';

export interface AgentRow {
  readonly id: string;
  readonly identity: string;
  readonly displayName: string;
  readonly role: AgentRole;
  readonly passwordHash: string;
  readonly enabled: boolean;
}

@Injectable()
export class AgentsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async findByIdentity(identity: string): Promise<AgentRow | undefined> {
    const [row] = await this.database.db.select().from(agents).where(eq(agents.identity, identity)).limit(1);
    return row;
  }

  async findEnabled(identity: string): Promise<AgentRow | undefined> {
    const row = await this.findByIdentity(identity);
    return row?.enabled ? row : undefined;
  }

  async listEnabled(): Promise<Array<Pick<AgentRow, 'identity' | 'displayName'>>> {
    return this.database.db.select({ identity: agents.identity, displayName: agents.displayName })
      .from(agents).where(eq(agents.enabled, true)).orderBy(asc(agents.identity));
  }

  /** Creates the agent, or leaves an existing one untouched (seeding runs at every start). */
  async insertIfMissing(agent: Omit<AgentRow, 'id'>): Promise<void> {
    await this.database.db.insert(agents).values(agent).onConflictDoNothing({ target: agents.identity });
  }

  /** Creates the agent; false (and nothing written) when the identity is taken. */
  async insert(agent: Omit<AgentRow, 'id'>): Promise<boolean> {
    const rows = await this.database.db.insert(agents).values(agent)
      .onConflictDoNothing({ target: agents.identity }).returning({ id: agents.id });
    return rows.length > 0;
  }

  /** Every agent, enabled or not, by identity; never the password hash. */
  async listAll(): Promise<Array<Omit<AgentRow, 'id' | 'passwordHash'>>> {
    return this.database.db.select({ identity: agents.identity, displayName: agents.displayName, role: agents.role, enabled: agents.enabled })
      .from(agents).orderBy(asc(agents.identity));
  }

  /** False when no agent has this identity. */
  async setEnabled(identity: string, enabled: boolean): Promise<boolean> {
    const rows = await this.database.db.update(agents).set({ enabled }).where(eq(agents.identity, identity)).returning({ id: agents.id });
    return rows.length > 0;
  }

  /**
   * Replaces the password hash and ends every session of the agent, in one transaction, so an old
   * session never outlives a password change. Undefined when no agent has this identity.
   */
  async replacePasswordHash(identity: string, passwordHash: string): Promise<{ revokedSessions: number } | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [agent] = await tx.update(agents).set({ passwordHash }).where(eq(agents.identity, identity)).returning({ id: agents.id });
      if (!agent) return undefined;
      const revoked = await tx.delete(sessions).where(eq(sessions.agentId, agent.id)).returning({ tokenHash: sessions.tokenHash });
      return { revokedSessions: revoked.length };
    });
  }
}
