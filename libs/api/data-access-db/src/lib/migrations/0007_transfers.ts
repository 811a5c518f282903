import type { Migration } from './index';

/**
 * Transfers of a customer call anchored in a conference (issue 12): one row per attempt, so its status
 * survives a restart and any API instance can move it on when a target leg's callback arrives there.
 * `target_legs` maps each dialled target call SID to its latest call status (a ring group dials several);
 * `expected_legs` is how many were dialled, so "every leg ended unanswered" can be told. At most one
 * transfer of a conference rings at a time (the partial unique index), whichever instance is asked.
 */
export const TRANSFERS_MIGRATION: Migration = {
  id: '0007_transfers',
  statements: [
    `CREATE TABLE transfers (
      transfer_id uuid PRIMARY KEY,
      conference_sid text NOT NULL,
      customer_call_sid text NOT NULL,
      from_identity text NOT NULL,
      from_call_sid text NOT NULL,
      target_kind text NOT NULL CHECK (target_kind IN ('agent', 'ring-group', 'number')),
      target_value text NOT NULL,
      target_display text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('cold', 'consult')),
      status text NOT NULL CHECK (status IN ('ringing-target', 'answered', 'no-answer', 'declined', 'busy', 'failed', 'cancelled', 'returned-to-you')),
      miss_reason text CHECK (miss_reason IN ('no-answer', 'declined', 'busy', 'failed')),
      outcome text CHECK (outcome IN ('transferred', 'returned', 'voicemail')),
      target_legs jsonb NOT NULL DEFAULT '{}'::jsonb,
      expected_legs integer NOT NULL,
      answered_call_sid text,
      cap_key text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE UNIQUE INDEX transfers_one_ringing_per_conference ON transfers (conference_sid) WHERE status = 'ringing-target'`,
    `CREATE INDEX transfers_conference ON transfers (conference_sid, created_at DESC)`,
  ],
};
