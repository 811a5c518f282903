import type { Migration } from './index';

/**
 * The queue of inbound customer calls nobody could take when they arrived (issue 13, item 3): one row
 * per queued call, kept after it left the queue so the supervisor's board counts today's waits.
 * - waiting: in the queue; `tried` lists the members already offered it (never offered twice);
 * - offered: one agent (`offered_to`, the last one offered it) is being rung; at most one offer per agent
 *   at a time (the partial unique index), whichever instance made it;
 * - answered (an agent joined: `answered_by`, `answered_at`), voicemail (QUEUE_MAX_WAIT_SECONDS passed)
 *   or abandoned (the caller hung up): final, with `ended_at` when it left the queue.
 * State changes are single conditional UPDATEs, so of two instances acting on one call exactly one does.
 */
export const CALL_QUEUE_MIGRATION: Migration = {
  id: '0014_call_queue',
  statements: [
    `CREATE TABLE call_queue (
      customer_call_sid text PRIMARY KEY,
      customer_number text NOT NULL,
      target text NOT NULL,
      members text[] NOT NULL,
      state text NOT NULL CHECK (state IN ('waiting', 'offered', 'answered', 'voicemail', 'abandoned')),
      offered_to text,
      offered_at timestamptz,
      tried text[] NOT NULL DEFAULT '{}',
      enqueued_at timestamptz NOT NULL,
      answered_by text,
      answered_at timestamptz,
      ended_at timestamptz
    )`,
    `CREATE INDEX call_queue_open ON call_queue (enqueued_at, customer_call_sid) WHERE state IN ('waiting', 'offered')`,
    `CREATE UNIQUE INDEX call_queue_one_offer_per_agent ON call_queue (offered_to) WHERE state = 'offered'`,
    `CREATE INDEX call_queue_enqueued_at ON call_queue (enqueued_at)`,
  ],
};
