import type { Migration } from './index';

/**
 * Conferences and their participants, as Twilio's conference status callbacks describe them (issue 12).
 * Every callback is kept once in `conference_events` (unique per conference and SequenceNumber, so a
 * retry or a replay is a no-op); `conferences` and `conference_participants` are the projection of all
 * of a conference's events in sequence order, rebuilt whenever a new one arrives, so any arrival order
 * ends in the same record. The callback inbox accepts the new kind.
 */
export const CONFERENCES_MIGRATION: Migration = {
  id: '0006_conferences',
  statements: [
    `CREATE TABLE conferences (
      conference_sid text PRIMARY KEY CHECK (conference_sid ~ '^CF[0-9a-f]{32}$'),
      friendly_name text NOT NULL DEFAULT '',
      anchor_call_sid text,
      status text NOT NULL DEFAULT 'init' CHECK (status IN ('init', 'in-progress', 'completed')),
      started_at timestamptz,
      ended_at timestamptz,
      reason_ended text,
      call_sid_ending text,
      last_sequence integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX conferences_anchor_call ON conferences (anchor_call_sid) WHERE anchor_call_sid IS NOT NULL`,
    `CREATE TABLE conference_participants (
      conference_sid text NOT NULL,
      call_sid text NOT NULL,
      label text,
      agent_identity text,
      joined_at timestamptz,
      left_at timestamptz,
      hold boolean NOT NULL DEFAULT false,
      muted boolean NOT NULL DEFAULT false,
      coaching boolean NOT NULL DEFAULT false,
      end_conference_on_exit boolean NOT NULL DEFAULT false,
      last_sequence integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (conference_sid, call_sid)
    )`,
    `CREATE INDEX conference_participants_call ON conference_participants (call_sid)`,
    `CREATE INDEX conference_participants_agent ON conference_participants (agent_identity) WHERE agent_identity IS NOT NULL`,
    `CREATE TABLE conference_events (
      id bigserial PRIMARY KEY,
      conference_sid text NOT NULL,
      sequence_number integer NOT NULL,
      event text NOT NULL,
      call_sid text,
      event_at timestamptz NOT NULL,
      payload jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT conference_events_once UNIQUE (conference_sid, sequence_number)
    )`,
    `CREATE INDEX conference_events_received_at ON conference_events (received_at)`,
    // 0005 declared the kinds as an inline CHECK, which Postgres names <table>_<column>_check.
    `ALTER TABLE callback_inbox DROP CONSTRAINT callback_inbox_kind_check`,
    `ALTER TABLE callback_inbox ADD CONSTRAINT callback_inbox_kind_check CHECK (kind IN ('status', 'recording', 'conference'))`,
  ],
};
