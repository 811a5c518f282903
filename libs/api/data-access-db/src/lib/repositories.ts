import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { AgentRole, CallDirection, CallRecord, CallStatus, Voicemail } from '@switchboard/shared-contracts';
import { Database } from './database';
import { agents, callParticipants, calls, inboundRoutes, ringGroupMembers, sessions, voicemails } from './schema';
import { callStatusRank, isKnownCallStatus } from './call-state';
import { rowsOf } from './database';

export const DATABASE = Symbol('DATABASE');

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

  /** Every ring group (a group exists while it has members) with its members, by name. */
  async listGroups(): Promise<Array<{ name: string; members: string[] }>> {
    const rows = await this.database.db.select().from(ringGroupMembers)
      .orderBy(asc(ringGroupMembers.groupName), asc(ringGroupMembers.agentIdentity));
    const groups = new Map<string, string[]>();
    for (const row of rows) groups.set(row.groupName, [...(groups.get(row.groupName) ?? []), row.agentIdentity]);
    return [...groups].map(([name, members]) => ({ name, members }));
  }
}

export interface CallStart {
  readonly callSid: string;
  readonly direction: CallDirection;
  readonly from: string;
  readonly to: string;
  readonly participants: readonly string[];
  readonly voicemailTarget: string | null;
  readonly status: CallStatus;
  readonly at: Date;
}

export interface StatusEvent {
  readonly callSid: string;
  readonly callStatus: string;
  readonly sequenceNumber: string;
  readonly payload: Readonly<Record<string, string>>;
  readonly from: string | null;
  readonly to: string | null;
  readonly direction: CallDirection;
  readonly durationSeconds: number | null;
  readonly at: Date;
}

/** 'stored' = new event; 'duplicate' = already stored, nothing changed. */
export type StatusEventOutcome = 'stored' | 'duplicate';

@Injectable()
export class CallsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Records a call seen by a TwiML webhook; a second sighting (retry, replay) changes nothing but participants. */
  async recordCallStart(call: CallStart): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      await tx.execute(sql`
        INSERT INTO calls (call_sid, direction, from_number, to_number, voicemail_target, status, status_rank, started_at)
        VALUES (${call.callSid}, ${call.direction}, ${call.from}, ${call.to}, ${call.voicemailTarget}, ${call.status}, ${callStatusRank(call.status)}, ${call.at.toISOString()})
        ON CONFLICT (call_sid) DO UPDATE SET
          voicemail_target = COALESCE(calls.voicemail_target, excluded.voicemail_target),
          started_at = LEAST(calls.started_at, excluded.started_at)`);
      if (call.participants.length > 0) {
        await tx.insert(callParticipants)
          .values(call.participants.map((agentIdentity) => ({ callSid: call.callSid, agentIdentity })))
          .onConflictDoNothing();
      }
    });
  }

  async addParticipants(callSid: string, identities: readonly string[]): Promise<void> {
    if (identities.length === 0) return;
    await this.database.db.insert(callParticipants).values(identities.map((agentIdentity) => ({ callSid, agentIdentity }))).onConflictDoNothing();
  }

  /**
   * Stores a status callback once (unique CallSid + CallStatus + SequenceNumber) and moves the call
   * forward only: a status of lower or equal rank never replaces the current one, so duplicates and
   * any arrival order end in the same record. Unknown statuses are stored but move nothing.
   */
  async applyStatusEvent(event: StatusEvent): Promise<StatusEventOutcome> {
    return this.database.db.transaction(async (tx) => {
      const inserted = await tx.execute(sql`
        INSERT INTO call_events (call_sid, call_status, sequence_number, payload)
        VALUES (${event.callSid}, ${event.callStatus}, ${event.sequenceNumber}, ${JSON.stringify(event.payload)}::jsonb)
        ON CONFLICT ON CONSTRAINT call_events_once DO NOTHING
        RETURNING id`);
      if (rowsOf(inserted).length === 0) return 'duplicate';
      if (!isKnownCallStatus(event.callStatus)) return 'stored';
      const rank = callStatusRank(event.callStatus);
      const isTerminal = rank >= callStatusRank('completed');
      const at = event.at.toISOString();
      await tx.execute(sql`
        INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, duration_seconds, started_at, ended_at)
        VALUES (${event.callSid}, ${event.direction}, ${event.from ?? ''}, ${event.to ?? ''}, ${event.callStatus}, ${rank},
                ${isTerminal ? event.durationSeconds : null}, ${at}, ${isTerminal ? at : null})
        ON CONFLICT (call_sid) DO UPDATE SET
          status = CASE WHEN excluded.status_rank > calls.status_rank THEN excluded.status ELSE calls.status END,
          duration_seconds = CASE WHEN excluded.status_rank > calls.status_rank THEN excluded.duration_seconds ELSE calls.duration_seconds END,
          ended_at = CASE WHEN excluded.status_rank > calls.status_rank THEN excluded.ended_at ELSE calls.ended_at END,
          status_rank = GREATEST(calls.status_rank, excluded.status_rank),
          from_number = CASE WHEN calls.from_number = '' THEN excluded.from_number ELSE calls.from_number END,
          to_number = CASE WHEN calls.to_number = '' THEN excluded.to_number ELSE calls.to_number END,
          started_at = LEAST(calls.started_at, excluded.started_at)`);
      return 'stored';
    });
  }

  async findBySid(callSid: string): Promise<(CallRecord & { voicemailTarget: string | null }) | undefined> {
    const [row] = await this.database.db.select().from(calls).where(eq(calls.callSid, callSid)).limit(1);
    return row ? { ...toCallRecord(row), voicemailTarget: row.voicemailTarget } : undefined;
  }

  async countEvents(callSid: string): Promise<number> {
    const result = await this.database.db.execute(sql`SELECT count(*)::int AS n FROM call_events WHERE call_sid = ${callSid}`);
    return (rowsOf(result)[0] as { n: number }).n;
  }

  /** Calls an agent made or was rung for, newest first. */
  async pageForAgent(identity: string, page: number, pageSize: number): Promise<{ items: CallRecord[]; total: number }> {
    const where = inArray(calls.callSid,
      this.database.db.select({ sid: callParticipants.callSid }).from(callParticipants).where(eq(callParticipants.agentIdentity, identity)));
    const [rows, [{ total }]] = await Promise.all([
      this.database.db.select().from(calls).where(where).orderBy(desc(calls.startedAt), desc(calls.id))
        .limit(pageSize).offset((page - 1) * pageSize),
      this.database.db.select({ total: count() }).from(calls).where(where),
    ]);
    return { items: rows.map(toCallRecord), total };
  }
}

function toCallRecord(row: typeof calls.$inferSelect): CallRecord {
  return {
    id: row.id,
    callSid: row.callSid,
    direction: row.direction,
    from: row.fromNumber,
    to: row.toNumber,
    status: row.status as CallStatus,
    durationSeconds: row.durationSeconds,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt ? row.endedAt.toISOString() : null,
  };
}

export interface NewVoicemail {
  readonly recordingSid: string;
  readonly callSid: string;
  readonly recordingUrl: string;
  readonly from: string;
  readonly calledTarget: string;
  readonly durationSeconds: number;
}

@Injectable()
export class VoicemailsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** One voicemail per recording SID, however often the callback arrives. Returns true if new. */
  async insertOnce(voicemail: NewVoicemail): Promise<boolean> {
    const { from, ...rest } = voicemail;
    const rows = await this.database.db.insert(voicemails).values({ ...rest, fromNumber: from })
      .onConflictDoNothing({ target: voicemails.recordingSid }).returning({ id: voicemails.id });
    return rows.length > 0;
  }

  async listForTargets(targets: readonly string[]): Promise<Voicemail[]> {
    if (targets.length === 0) return [];
    const rows = await this.database.db.select().from(voicemails).where(inArray(voicemails.calledTarget, [...targets]))
      .orderBy(desc(voicemails.receivedAt), desc(voicemails.id)).limit(500);
    return rows.map(toVoicemail);
  }

  /** The voicemail if one of `targets` owns it; undefined otherwise (same answer as not existing). */
  async findOwned(id: string, targets: readonly string[]): Promise<(Voicemail & { recordingUrl: string }) | undefined> {
    if (targets.length === 0) return undefined;
    const [row] = await this.database.db.select().from(voicemails)
      .where(and(eq(voicemails.id, id), inArray(voicemails.calledTarget, [...targets]))).limit(1);
    return row ? { ...toVoicemail(row), recordingUrl: row.recordingUrl } : undefined;
  }

  async markHeard(id: string, targets: readonly string[], heard: boolean): Promise<Voicemail | undefined> {
    if (targets.length === 0) return undefined;
    const [row] = await this.database.db.update(voicemails).set({ heard })
      .where(and(eq(voicemails.id, id), inArray(voicemails.calledTarget, [...targets]))).returning();
    return row ? toVoicemail(row) : undefined;
  }

  async countByRecordingSid(recordingSid: string): Promise<number> {
    const [{ n }] = await this.database.db.select({ n: count() }).from(voicemails).where(eq(voicemails.recordingSid, recordingSid));
    return n;
  }
}

function toVoicemail(row: typeof voicemails.$inferSelect): Voicemail {
  return {
    id: row.id,
    recordingSid: row.recordingSid,
    callSid: row.callSid,
    from: row.fromNumber,
    calledTarget: row.calledTarget,
    durationSeconds: row.durationSeconds,
    heard: row.heard,
    receivedAt: row.receivedAt.toISOString(),
  };
}
