import { sql, type SQL } from 'drizzle-orm';
import type { CallHandoff } from '@switchboard/shared-contracts';
import { rowsOf, type Db } from '../database';

/**
 * The one call history shows for a conference (`f`): the call it was opened for, which names it
 * (`sb-<CallSid>`, as feature-twiml's anchorConferenceName does): the customer's inbound call, or the
 * agent's own phone call whose number was dialled in as the customer. A conference named otherwise
 * counts by its anchor (the customer's leg). Every other leg in it is part of that call, not a call.
 */
export function historyCallOf(conference: string): SQL {
  return sql.raw(`(CASE WHEN ${conference}.friendly_name ~ '^sb-CA[0-9a-f]{32}$' THEN substr(${conference}.friendly_name, 4) ELSE ${conference}.anchor_call_sid END)`);
}

/**
 * The handoffs of the calls of a history page: their transfers and consults and their rescues, oldest
 * first, in one statement for the whole page. Each is found by its conference, through the page's calls'
 * own legs in it (keyed by historyCallOf), never by a scan: a transfer or rescue is only ever made while
 * the conference record knows that leg (the anchor is known by its participant, the acting agent is a
 * current participant). Agents are named from the directory as it is now (the identity when an agent was
 * removed since); a ring group or a number is shown as the transfer stored it.
 */
export async function loadCallHandoffs(db: Db, callSids: readonly string[]): Promise<Map<string, CallHandoff[]>> {
  const bySid = new Map<string, CallHandoff[]>();
  if (callSids.length === 0) return bySid;
  const sids = sql.param([...callSids]);
  const rows = rowsOf(await db.execute(sql`
    WITH moved AS (
      SELECT p.conference_sid, p.call_sid FROM conference_participants p
      JOIN conferences f ON f.conference_sid = p.conference_sid
      WHERE p.call_sid = ANY(${sids}::text[]) AND ${historyCallOf('f')} = p.call_sid
    )
    SELECT m.call_sid, t.mode AS kind, COALESCE(by_agent.display_name, t.from_identity) AS by_display,
      CASE WHEN t.target_kind = 'agent' THEN COALESCE(target_agent.display_name, t.target_display) ELSE t.target_display END AS target_display,
      t.status, t.outcome, t.miss_reason, t.created_at AS happened_at, t.transfer_id::text AS id
    FROM moved m
    JOIN transfers t ON t.conference_sid = m.conference_sid
    LEFT JOIN agents by_agent ON by_agent.identity = t.from_identity
    LEFT JOIN agents target_agent ON t.target_kind = 'agent' AND target_agent.identity = t.target_value
    UNION ALL
    SELECT m.call_sid, 'rescue', COALESCE(a.display_name, r.identity), NULL, r.state, NULL, NULL, r.opened_at, r.rescue_id::text
    FROM moved m
    JOIN rescues r ON r.conference_sid = m.conference_sid
    LEFT JOIN agents a ON a.identity = r.identity
    ORDER BY happened_at, id`)) as HandoffRow[];
  for (const row of rows) {
    const list = bySid.get(row.call_sid) ?? [];
    list.push(toHandoff(row));
    bySid.set(row.call_sid, list);
  }
  return bySid;
}

interface HandoffRow {
  call_sid: string;
  kind: 'cold' | 'consult' | 'rescue';
  by_display: string;
  target_display: string | null;
  /** A transfer's status, or a rescue's state. */
  status: string;
  outcome: string | null;
  miss_reason: string | null;
  happened_at: Date | string;
  id: string;
}

const RESCUE_OUTCOMES = new Set(['rejoined', 'voicemail', 'open', 'ended']);

function toHandoff(row: HandoffRow): CallHandoff {
  const at = new Date(row.happened_at).toISOString();
  if (row.kind === 'rescue') {
    return { kind: 'rescue', byDisplay: row.by_display, outcome: RESCUE_OUTCOMES.has(row.status) ? row.status as 'open' : 'ended', at };
  }
  return { kind: row.kind === 'consult' ? 'consult' : 'transfer', byDisplay: row.by_display, targetDisplay: row.target_display ?? '', outcome: transferOutcome(row), at };
}

/**
 * One word for where the transfer left the customer: its outcome once decided, except that a call that came
 * back says why (no-answer, declined, busy, failed), which is what the agent wants to read; before an
 * outcome, the miss reason or the status (`ringing` while the target rings).
 */
export function transferOutcome(row: Pick<HandoffRow, 'status' | 'outcome' | 'miss_reason'>): string {
  if (row.outcome === 'returned') return row.miss_reason ?? 'returned';
  if (row.outcome !== null) return row.outcome;
  if (row.miss_reason !== null) return row.miss_reason;
  return row.status === 'ringing-target' ? 'ringing' : row.status;
}
