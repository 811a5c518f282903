import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { RingStrategy } from '@switchboard/shared-contracts';
import { DATABASE, Database, rowsOf } from '../database';
import { agents, inboundRoutes, ringGroupMembers } from '../schema';

export type RouteTarget = { readonly kind: 'agent' | 'group'; readonly name: string };

@Injectable()
export class RoutingRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async routeFor(number: string): Promise<RouteTarget | undefined> {
    const [row] = await this.database.db.select().from(inboundRoutes).where(eq(inboundRoutes.number, number)).limit(1);
    return row ? { kind: row.targetKind, name: row.target } : undefined;
  }

  /** Enabled agents a target rings: the agent itself, or every enabled member of the group. */
  async enabledAgentsOf(target: RouteTarget): Promise<string[]> {
    if (target.kind === 'agent') {
      const rows = await this.database.db.select({ identity: agents.identity }).from(agents)
        .where(and(eq(agents.identity, target.name), eq(agents.enabled, true)));
      return rows.map((r) => r.identity);
    }
    const rows = await this.database.db.select({ identity: agents.identity })
      .from(ringGroupMembers).innerJoin(agents, eq(ringGroupMembers.agentIdentity, agents.identity))
      .where(and(eq(ringGroupMembers.groupName, target.name), eq(agents.enabled, true)))
      .orderBy(asc(agents.identity));
    return rows.map((r) => r.identity);
  }

  async groupsOf(identity: string): Promise<string[]> {
    const rows = await this.database.db.select({ name: ringGroupMembers.groupName }).from(ringGroupMembers)
      .where(eq(ringGroupMembers.agentIdentity, identity));
    return rows.map((r) => r.name);
  }

  async upsertRoute(number: string, target: RouteTarget): Promise<void> {
    await this.database.db.insert(inboundRoutes).values({ number, targetKind: target.kind, target: target.name })
      .onConflictDoNothing({ target: inboundRoutes.number });
  }

  /** Points the number at the target, replacing any earlier route of that number. */
  async setRoute(number: string, target: RouteTarget): Promise<void> {
    await this.database.db.insert(inboundRoutes).values({ number, targetKind: target.kind, target: target.name })
      .onConflictDoUpdate({ target: inboundRoutes.number, set: { targetKind: target.kind, target: target.name } });
  }

  async listRoutes(): Promise<Array<{ number: string; target: RouteTarget }>> {
    const rows = await this.database.db.select().from(inboundRoutes).orderBy(asc(inboundRoutes.number));
    return rows.map((row) => ({ number: row.number, target: { kind: row.targetKind, name: row.target } }));
  }

  /** Numbers routed straight to this agent or group. */
  async numbersRoutedTo(target: RouteTarget): Promise<string[]> {
    const rows = await this.database.db.select({ number: inboundRoutes.number }).from(inboundRoutes)
      .where(and(eq(inboundRoutes.targetKind, target.kind), eq(inboundRoutes.target, target.name))).orderBy(asc(inboundRoutes.number));
    return rows.map((r) => r.number);
  }

  /** False when the number had no route. */
  async removeRoute(number: string): Promise<boolean> {
    const rows = await this.database.db.delete(inboundRoutes).where(eq(inboundRoutes.number, number)).returning({ number: inboundRoutes.number });
    return rows.length > 0;
  }

  /** False when the agent already was a member. */
  async addGroupMember(groupName: string, agentIdentity: string): Promise<boolean> {
    const rows = await this.database.db.insert(ringGroupMembers).values({ groupName, agentIdentity }).onConflictDoNothing()
      .returning({ groupName: ringGroupMembers.groupName });
    return rows.length > 0;
  }

  /** False when the agent was not a member. */
  async removeGroupMember(groupName: string, agentIdentity: string): Promise<boolean> {
    const rows = await this.database.db.delete(ringGroupMembers)
      .where(and(eq(ringGroupMembers.groupName, groupName), eq(ringGroupMembers.agentIdentity, agentIdentity)))
      .returning({ groupName: ringGroupMembers.groupName });
    return rows.length > 0;
  }

  /** Every ring group (a group exists while it has members) with its members and strategy, by name. */
  async listGroups(): Promise<Array<{ name: string; members: string[]; strategy: RingStrategy }>> {
    const rows = await this.database.db.select().from(ringGroupMembers)
      .orderBy(asc(ringGroupMembers.groupName), asc(ringGroupMembers.agentIdentity));
    const groups = new Map<string, string[]>();
    for (const row of rows) groups.set(row.groupName, [...(groups.get(row.groupName) ?? []), row.agentIdentity]);
    const strategies = await this.groupStrategies();
    return [...groups].map(([name, members]) => ({ name, members, strategy: strategies.get(name) ?? 'ring-all' }));
  }

  /** How a target rings its members: a group's strategy (ring-all unless set); an agent is a ring-all of one. */
  async strategyOf(target: RouteTarget): Promise<RingStrategy> {
    if (target.kind === 'agent') return 'ring-all';
    return (await this.groupStrategies(target.name)).get(target.name) ?? 'ring-all';
  }

  /** Sets a group's strategy (kept if its members all leave and come back). */
  async setGroupStrategy(groupName: string, strategy: RingStrategy): Promise<void> {
    await this.database.db.execute(sql`
      INSERT INTO ring_groups (name, strategy) VALUES (${groupName}, ${strategy})
      ON CONFLICT (name) DO UPDATE SET strategy = excluded.strategy`);
  }

  private async groupStrategies(only?: string): Promise<Map<string, RingStrategy>> {
    const rows = rowsOf(await this.database.db.execute(sql`
      SELECT name, strategy FROM ring_groups WHERE ${only ?? null}::text IS NULL OR name = ${only ?? null}`)) as Array<{ name: string; strategy: RingStrategy }>;
    return new Map(rows.map((row) => [row.name, row.strategy]));
  }
}
