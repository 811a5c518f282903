import type { Migration } from './index';

/**
 * Agent availability (issue 13, item 1). `agent_availability` is each agent's current state (a row is
 * made, offline, the first time the agent's state is asked for); `call_sid` is the call an on-call or
 * wrap-up state is about. `availability_changes` is the history: every change is written by the same
 * statement that makes it (AvailabilityRepository). `call_dispositions` is how an agent closed the
 * wrap-up of a call (one per agent and call: several agents may wrap up one transferred call).
 */
export const AVAILABILITY_MIGRATION: Migration = {
  id: '0011_availability',
  statements: [
    `CREATE TABLE agent_availability (
      identity text PRIMARY KEY,
      state text NOT NULL CHECK (state IN ('available', 'on-call', 'wrap-up', 'away', 'offline')),
      reason text,
      since timestamptz NOT NULL,
      call_sid text,
      wrap_up_ends_at timestamptz,
      CHECK ((state = 'away') = (reason IS NOT NULL)),
      CHECK ((state IN ('on-call', 'wrap-up')) = (call_sid IS NOT NULL)),
      CHECK (state = 'wrap-up' OR wrap_up_ends_at IS NULL)
    )`,
    `CREATE INDEX agent_availability_wrap_up_due ON agent_availability (wrap_up_ends_at) WHERE state = 'wrap-up'`,
    `CREATE TABLE availability_changes (
      id bigserial PRIMARY KEY,
      identity text NOT NULL,
      from_state text NOT NULL,
      to_state text NOT NULL,
      reason text,
      by_kind text NOT NULL CHECK (by_kind IN ('self', 'supervisor', 'system')),
      by_identity text,
      at timestamptz NOT NULL,
      CHECK ((by_kind = 'supervisor') = (by_identity IS NOT NULL))
    )`,
    `CREATE INDEX availability_changes_identity ON availability_changes (identity, at DESC, id DESC)`,
    `CREATE INDEX availability_changes_at ON availability_changes (at)`,
    `CREATE TABLE call_dispositions (
      call_sid text NOT NULL,
      identity text NOT NULL,
      code text NOT NULL,
      note text,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (call_sid, identity)
    )`,
  ],
};
