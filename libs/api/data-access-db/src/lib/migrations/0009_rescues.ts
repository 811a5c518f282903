import type { Migration } from './index';

/**
 * Rescues of a customer call whose agent dropped out of its conference without hanging up (issue 12,
 * item 4), and the legs an agent left on purpose. A rescue is open until the agent's new leg joins
 * (rejoined), the window passes and one instance sends the customer to voicemail (voicemail), or the
 * customer hangs up (ended); at most one is open per conference (the partial unique index), whichever
 * instance saw the leave. `intended_leaves` is written by the hang-up route before the leg is removed,
 * so the participant-leave that follows is known not to be a drop.
 */
export const RESCUES_MIGRATION: Migration = {
  id: '0009_rescues',
  statements: [
    `CREATE TABLE rescues (
      rescue_id uuid PRIMARY KEY,
      conference_sid text NOT NULL,
      customer_call_sid text NOT NULL,
      identity text NOT NULL,
      dropped_call_sid text NOT NULL UNIQUE,
      customer_display text NOT NULL,
      state text NOT NULL CHECK (state IN ('open', 'rejoined', 'voicemail', 'ended')),
      opened_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      closed_at timestamptz
    )`,
    `CREATE UNIQUE INDEX rescues_one_open_per_conference ON rescues (conference_sid) WHERE state = 'open'`,
    `CREATE INDEX rescues_open_expiry ON rescues (expires_at) WHERE state = 'open'`,
    `CREATE INDEX rescues_identity ON rescues (identity) WHERE state = 'open'`,
    `CREATE TABLE intended_leaves (
      call_sid text PRIMARY KEY,
      identity text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX intended_leaves_recorded_at ON intended_leaves (recorded_at)`,
  ],
};
