import { Inject, Injectable } from '@nestjs/common';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { DATABASE, Database } from '../database';
import { agents, sessions } from '../schema';
import type { AgentRow } from './agents.repository';

@Injectable()
export class SessionsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async create(tokenHash: string, agentId: string, expiresAt: Date): Promise<void> {
    await this.database.db.insert(sessions).values({ tokenHash, agentId, expiresAt });
  }

  /** The enabled agent of an unexpired session, or undefined. */
  async findAgent(tokenHash: string, now: Date): Promise<AgentRow | undefined> {
    const [row] = await this.database.db
      .select({ id: agents.id, identity: agents.identity, displayName: agents.displayName, role: agents.role, passwordHash: agents.passwordHash, enabled: agents.enabled })
      .from(sessions).innerJoin(agents, eq(sessions.agentId, agents.id))
      .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), eq(agents.enabled, true)))
      .limit(1);
    return row;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.database.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  }

  /** Ends every session of the agent; returns how many there were. */
  async deleteForAgent(identity: string): Promise<number> {
    const rows = await this.database.db.delete(sessions)
      .where(inArray(sessions.agentId, this.database.db.select({ id: agents.id }).from(agents).where(eq(agents.identity, identity))))
      .returning({ tokenHash: sessions.tokenHash });
    return rows.length;
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.database.db.delete(sessions).where(sql`${sessions.expiresAt} <= ${now}`);
  }
}
