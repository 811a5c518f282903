import { sql } from 'drizzle-orm';
import type { AvailabilityOption, CallDisposition } from '@switchboard/shared-contracts';
import { rowsOf, type Db } from '../database';

/**
 * The wrap-up dispositions of a history page's calls, oldest first, in one statement for the page. A
 * wrap-up is keyed by the call history shows (the customer's call, or the agent's own anchored phone
 * call: feature-availability keys it so), so this is a plain lookup. The label is the configured
 * DISPOSITION_CODES entry's; a code removed from the list since is shown as itself.
 */
export async function loadCallDispositions(
  db: Db, callSids: readonly string[], codes: readonly AvailabilityOption[],
): Promise<Map<string, CallDisposition[]>> {
  const bySid = new Map<string, CallDisposition[]>();
  if (callSids.length === 0) return bySid;
  const labels = new Map(codes.map((code) => [code.id, code.label]));
  const rows = rowsOf(await db.execute(sql`
    SELECT call_sid, identity, code, note, recorded_at FROM call_dispositions
    WHERE call_sid = ANY(${sql.param([...callSids])}::text[])
    ORDER BY recorded_at, identity`)) as Array<{ call_sid: string; identity: string; code: string; note: string | null; recorded_at: Date | string }>;
  for (const row of rows) {
    const list = bySid.get(row.call_sid) ?? [];
    list.push({ identity: row.identity, code: row.code, label: labels.get(row.code) ?? row.code, note: row.note, at: new Date(row.recorded_at).toISOString() });
    bySid.set(row.call_sid, list);
  }
  return bySid;
}
