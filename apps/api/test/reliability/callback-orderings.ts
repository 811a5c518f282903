import { rowsOf } from '@switchboard/api-data-access-db';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { callSid, recordingSid, type TestApi } from '../support';
import { sendSigned } from './webhook-corpus';
import { genuineRequest, type WebhookRequest } from './webhook-routes';

/**
 * A REST-created call's five status callbacks (Twilio's lifecycle: queued → initiated → ringing →
 * in-progress → completed). Five distinct events give 120 orderings; the API's state machine ranks
 * them, and only one terminal status exists per call, so every ordering must end in one record.
 */
const LIFECYCLE = ['queued', 'initiated', 'ringing', 'in-progress', 'completed'] as const;
const START = Date.UTC(2026, 10, 24, 10, 0, 0);
const SECONDS_AT = [0, 1, 3, 8, 68];
const CALL_DURATION = 60;

export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function statusCallback(sid: string, index: number): WebhookRequest {
  const status = LIFECYCLE[index];
  return {
    path: WEBHOOK_ROUTES.status,
    pairs: [
      ['AccountSid', SANDBOX_CREDENTIALS.accountSid], ['CallSid', sid], ['CallStatus', status], ['SequenceNumber', String(index)],
      ['Timestamp', new Date(START + SECONDS_AT[index] * 1000).toUTCString().replace('GMT', '+0000')],
      ['From', SANDBOX_NUMBERS.callerId], ['To', '+14155550111'], ['Direction', 'outbound-api'], ['CallbackSource', 'call-progress-events'],
      ...(status === 'completed' ? [['CallDuration', String(CALL_DURATION)] as [string, string]] : []),
    ],
  };
}

/** Each event twice: the duplicate arrives after the next event (e0 e1 e0 e2 e1 … e4 e3 e4). */
export function withDuplicates<T>(order: readonly T[]): T[] {
  return [...order.flatMap((event, i) => (i === 0 ? [event] : [event, order[i - 1]])), order[order.length - 1]];
}

/** The whole call row as JSON, minus its random id (and its SID, which differs per ordering). */
async function callRecord(api: TestApi, sid: string): Promise<unknown[]> {
  return rowsOf(await api.database.db.execute(sql`SELECT to_jsonb(c) - 'id' - 'call_sid' AS record FROM calls c WHERE call_sid = ${sid}`))
    .map((row) => normalised((row as { record: Record<string, unknown> }).record));
}

/** Timestamps as ISO strings (the engines print time zones differently) and keys sorted, so equal rows compare equal as text. */
function normalised(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => {
    const value = record[key];
    return [key, key.endsWith('_at') && typeof value === 'string' ? new Date(value).toISOString() : value];
  }));
}

/** The same canonical text for a record, whatever its key order. */
export const recordText = (record: unknown) => JSON.stringify(normalised(record as Record<string, unknown>));

export interface OrderingOutcome {
  readonly order: string[];
  readonly statuses: number[];
  /** Rows in `calls` for the SID (must be exactly one), as JSON. */
  readonly records: unknown[];
  readonly events: number;
  readonly inboxRows: number;
  readonly inboxPending: number;
}

/** The final record every ordering must produce (START + the completed callback's time). */
export const EXPECTED_FINAL_RECORD = {
  direction: 'outbound', from_number: SANDBOX_NUMBERS.callerId, to_number: '+14155550111', voicemail_target: null,
  status: 'completed', status_rank: 4, duration_seconds: CALL_DURATION, reconcile_after: null,
  started_at: new Date(START).toISOString(), ended_at: new Date(START + SECONDS_AT[4] * 1000).toISOString(),
};

/** Delivers `count` of the 120 orderings (evenly spread), each with duplicates; `parallel` calls at a time, each call's callbacks in order. */
export async function runOrderings(api: TestApi, count: number, firstSid: number, parallel = 4): Promise<OrderingOutcome[]> {
  const all = permutations([0, 1, 2, 3, 4]);
  const chosen = Array.from({ length: Math.min(count, all.length) }, (_, i) => all[Math.floor((i * all.length) / Math.min(count, all.length))]);
  const outcomes: OrderingOutcome[] = new Array(chosen.length);
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < chosen.length; k = next++) {
      const sid = callSid(firstSid + k);
      const statuses: number[] = [];
      for (const index of withDuplicates(chosen[k])) statuses.push((await sendSigned(api, statusCallback(sid, index))).status);
      const [counts] = rowsOf(await api.database.db.execute(sql`
        SELECT (SELECT count(*)::int FROM call_events WHERE call_sid = ${sid}) AS events,
               (SELECT count(*)::int FROM callback_inbox WHERE params->>'CallSid' = ${sid}) AS inbox,
               (SELECT count(*)::int FROM callback_inbox WHERE params->>'CallSid' = ${sid} AND processed_at IS NULL) AS pending`)) as Array<{ events: number; inbox: number; pending: number }>;
      outcomes[k] = {
        order: chosen[k].map((i) => LIFECYCLE[i]), statuses, records: await callRecord(api, sid),
        events: counts.events, inboxRows: counts.inbox, inboxPending: counts.pending,
      };
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return outcomes;
}

export interface DuplicateOutcome {
  readonly deliveries: number;
  readonly statuses: Record<string, number>;
  /** Per round: rows for the status callback's event key, its call, its inbox row, and the recording's voicemail. */
  readonly rows: Array<{ events: number; calls: number; statusInbox: number; voicemails: number; recordingInbox: number }>;
}

/** `rounds` × (50 concurrent copies of one status callback, then 50 of one recording callback). */
export async function runConcurrentDuplicates(api: TestApi, rounds: number, firstSid: number, copies = 50): Promise<DuplicateOutcome> {
  const statuses: Record<string, number> = {};
  const rows: DuplicateOutcome['rows'] = [];
  const burst = async (request: WebhookRequest) => {
    for (const { status } of await Promise.all(Array.from({ length: copies }, () => sendSigned(api, request)))) statuses[status] = (statuses[status] ?? 0) + 1;
  };
  for (let round = 0; round < rounds; round++) {
    const n = firstSid + round;
    const sid = callSid(n);
    await burst(genuineRequest(api, WEBHOOK_ROUTES.status, n));
    await burst(genuineRequest(api, WEBHOOK_ROUTES.recordingStatus, n));
    const [counts] = rowsOf(await api.database.db.execute(sql`
      SELECT (SELECT count(*)::int FROM call_events WHERE call_sid = ${sid}) AS events,
             (SELECT count(*)::int FROM calls WHERE call_sid = ${sid}) AS calls,
             (SELECT count(*)::int FROM callback_inbox WHERE kind = 'status' AND params->>'CallSid' = ${sid}) AS "statusInbox",
             (SELECT count(*)::int FROM voicemails WHERE recording_sid = ${recordingSid(n)}) AS voicemails,
             (SELECT count(*)::int FROM callback_inbox WHERE kind = 'recording' AND params->>'RecordingSid' = ${recordingSid(n)}) AS "recordingInbox"`)) as DuplicateOutcome['rows'];
    rows.push(counts);
  }
  return { deliveries: rounds * copies * 2, statuses, rows };
}
