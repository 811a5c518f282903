import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { TERMINAL_CALL_STATUS_RANK } from '../call-state';
import { DATABASE, Database, rowsOf, type Db } from '../database';
import { runStatement } from './raw-statement';

/** Which toll-fraud cap refused a phone call. */
export type OutboundCap = 'active-call' | 'hourly-limit' | 'daily-limit';

export interface OutboundLimits {
  readonly activeCallsPerAgent: number;
  readonly callsPerAgentPerHour: number;
  readonly callsPerDay: number;
  /**
   * A granted call still counts as active this long after it was granted unless it ended first. Past it,
   * `<Dial timeLimit>` has certainly ended it, so a lost callback cannot lock an agent out for good.
   */
  readonly activeAtMostSeconds: number;
}

export interface OutboundCallRequest {
  readonly callSid: string;
  readonly agentIdentity: string;
  /** E.164 destination. */
  readonly to: string;
  readonly at: Date;
}

export type OutboundGrant = { readonly granted: true } | { readonly granted: false; readonly cap: OutboundCap };

/** Every grant decision on Postgres runs under this transaction-scoped advisory lock (one per database). */
const GRANT_LOCK_KEY = 727002;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** OutboundCallCaps.end's statement ($1 the end time, $2 the CallSid). */
const END_GRANT_SQL = 'UPDATE outbound_call_grants SET ended_at = $1::timestamptz WHERE call_sid = $2 AND ended_at IS NULL';

/**
 * The toll-fraud ledger: one row per phone call an agent was let dial. Checking the caps and writing
 * the grant happen in one transaction that holds a database-wide advisory lock (Postgres) or the
 * embedded engine's exclusive transaction, so webhooks on any number of API instances cannot both
 * pass a cap with one slot left. Refusals are audited in `outbound_call_refusals`.
 */
@Injectable()
export class OutboundCallCaps {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Grants the call and records it, or names the cap that refuses it and audits the refusal. A retried CallSid keeps its grant. */
  async grant(request: OutboundCallRequest, limits: OutboundLimits): Promise<OutboundGrant> {
    return this.database.db.transaction(async (tx) => {
      if (this.database.engine === 'postgres') await tx.execute(sql`SELECT pg_advisory_xact_lock(${GRANT_LOCK_KEY})`);
      const existing = await tx.execute(sql`SELECT 1 FROM outbound_call_grants WHERE call_sid = ${request.callSid}`);
      if (rowsOf(existing).length > 0) return { granted: true } as const;
      const cap = await capReached(tx, request.agentIdentity, limits, request.at);
      if (cap) {
        await insertRefusal(tx, request, cap);
        return { granted: false, cap } as const;
      }
      await tx.execute(sql`
        INSERT INTO outbound_call_grants (call_sid, agent_identity, to_number, granted_at)
        VALUES (${request.callSid}, ${request.agentIdentity}, ${request.to}, ${request.at.toISOString()}::timestamptz)`);
      return { granted: true } as const;
    });
  }

  /** The cap that would refuse this agent's next phone call now, or null. Advisory only: `grant` decides. */
  async capReachedNow(agentIdentity: string, limits: OutboundLimits, at: Date): Promise<OutboundCap | null> {
    return capReached(this.database.db, agentIdentity, limits, at);
  }

  /**
   * The call's `<Dial>` is over (its action webhook arrived): it no longer counts as active. Idempotent.
   * Run on every dial-complete webhook, hence straight on the driver (raw-statement.ts says what that saves);
   * bench/api/bare-server.mjs runs the same text.
   */
  async end(callSid: string, at: Date): Promise<void> {
    await runStatement(this.database, END_GRANT_SQL, [at.toISOString(), callSid]);
  }

  /** Audits a call refused for another reason than a cap (the number policy). */
  async recordRefusal(request: OutboundCallRequest, reason: string): Promise<void> {
    await insertRefusal(this.database.db, request, reason);
  }

  /** Grants only count for a day; older ones (they hold phone numbers) are deleted. Returns how many. */
  async purgeGrantsBefore(before: Date): Promise<number> {
    const result = await this.database.db.execute(sql`
      DELETE FROM outbound_call_grants WHERE granted_at < ${before.toISOString()}::timestamptz RETURNING call_sid`);
    return rowsOf(result).length;
  }
}

async function capReached(db: Db, agentIdentity: string, limits: OutboundLimits, at: Date): Promise<OutboundCap | null> {
  const iso = (ms: number) => new Date(at.getTime() - ms).toISOString();
  // Active: not ended by its dial-complete webhook, not terminal by a status callback, and young enough
  // that <Dial timeLimit> has not ended it yet. A grant whose calls row is not written yet is active.
  const result = await db.execute(sql`
    SELECT
      count(*) FILTER (WHERE g.agent_identity = ${agentIdentity} AND g.ended_at IS NULL
        AND g.granted_at > ${iso(limits.activeAtMostSeconds * 1000)}::timestamptz
        AND (c.status_rank IS NULL OR c.status_rank < ${TERMINAL_CALL_STATUS_RANK}))::int AS active,
      count(*) FILTER (WHERE g.agent_identity = ${agentIdentity} AND g.granted_at > ${iso(HOUR_MS)}::timestamptz)::int AS last_hour,
      count(*) FILTER (WHERE g.granted_at > ${iso(DAY_MS)}::timestamptz)::int AS last_day
    FROM outbound_call_grants g LEFT JOIN calls c ON c.call_sid = g.call_sid
    WHERE g.granted_at > ${iso(Math.max(DAY_MS, limits.activeAtMostSeconds * 1000))}::timestamptz`);
  const [counts] = rowsOf(result) as Array<{ active: number; last_hour: number; last_day: number }>;
  if (counts.active >= limits.activeCallsPerAgent) return 'active-call';
  if (counts.last_hour >= limits.callsPerAgentPerHour) return 'hourly-limit';
  if (counts.last_day >= limits.callsPerDay) return 'daily-limit';
  return null;
}

async function insertRefusal(db: Db, request: OutboundCallRequest, reason: string): Promise<void> {
  await db.execute(sql`
    INSERT INTO outbound_call_refusals (call_sid, agent_identity, to_number, reason, refused_at)
    VALUES (${request.callSid}, ${request.agentIdentity}, ${request.to}, ${reason}, ${request.at.toISOString()}::timestamptz)`);
}
