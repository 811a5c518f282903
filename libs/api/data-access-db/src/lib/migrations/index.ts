import { CONFERENCES_MIGRATION } from './0006_conferences';
import { TRANSFERS_MIGRATION } from './0007_transfers';
import { CONSULT_MIGRATION } from './0008_consult';
import { RESCUES_MIGRATION } from './0009_rescues';
import { RESCUES_CONFERENCE_MIGRATION } from './0010_rescues_conference';
import { AVAILABILITY_MIGRATION } from './0011_availability';
import { TOKEN_RATE_MIGRATION } from './0012_token_rate';
import { RING_ROUTING_MIGRATION } from './0013_ring_routing';
import { CALL_QUEUE_MIGRATION } from './0014_call_queue';
import { CALL_QUALITY_MIGRATION } from './0015_call_quality';

/**
 * Ordered, append-only migrations. Each is a list of single statements (the embedded engine's extended
 * protocol takes one statement per query). Applied in one transaction at start-up and recorded in
 * `schema_migrations`; never edit an applied migration, add a new one.
 */
export interface Migration {
  readonly id: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_initial',
    statements: [
      `CREATE TABLE agents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        identity text NOT NULL UNIQUE CHECK (identity ~ '^[A-Za-z0-9_]{1,121}$'),
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent', 'supervisor')),
        password_hash text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX sessions_expires_at ON sessions (expires_at)`,
      `CREATE TABLE ring_group_members (
        group_name text NOT NULL,
        agent_identity text NOT NULL,
        PRIMARY KEY (group_name, agent_identity)
      )`,
      `CREATE TABLE inbound_routes (
        number text PRIMARY KEY CHECK (number ~ '^\\+[1-9][0-9]{1,14}$'),
        target_kind text NOT NULL CHECK (target_kind IN ('agent', 'group')),
        target text NOT NULL
      )`,
      `CREATE TABLE calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_sid text NOT NULL UNIQUE,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        from_number text NOT NULL,
        to_number text NOT NULL,
        voicemail_target text,
        status text NOT NULL,
        status_rank integer NOT NULL,
        duration_seconds integer,
        started_at timestamptz NOT NULL,
        ended_at timestamptz
      )`,
      `CREATE TABLE call_participants (
        call_sid text NOT NULL,
        agent_identity text NOT NULL,
        PRIMARY KEY (call_sid, agent_identity)
      )`,
      `CREATE INDEX call_participants_agent ON call_participants (agent_identity)`,
      `CREATE TABLE call_events (
        id bigserial PRIMARY KEY,
        call_sid text NOT NULL,
        call_status text NOT NULL,
        sequence_number text NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT call_events_once UNIQUE (call_sid, call_status, sequence_number)
      )`,
      `CREATE TABLE voicemails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recording_sid text NOT NULL UNIQUE,
        call_sid text NOT NULL,
        recording_url text NOT NULL,
        from_number text NOT NULL,
        called_target text NOT NULL,
        duration_seconds integer NOT NULL,
        heard boolean NOT NULL DEFAULT false,
        received_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX voicemails_target ON voicemails (called_target, received_at DESC)`,
    ],
  },
  {
    // Toll-fraud caps (one row per phone call an agent was let dial, counted atomically), the audit of
    // refusals, and indexes the retention purge scans by age.
    id: '0003_outbound_call_caps_and_retention',
    statements: [
      `CREATE TABLE outbound_call_grants (
        call_sid text PRIMARY KEY,
        agent_identity text NOT NULL,
        to_number text NOT NULL,
        granted_at timestamptz NOT NULL,
        ended_at timestamptz
      )`,
      `CREATE INDEX outbound_call_grants_agent ON outbound_call_grants (agent_identity, granted_at)`,
      `CREATE INDEX outbound_call_grants_granted_at ON outbound_call_grants (granted_at)`,
      `CREATE TABLE outbound_call_refusals (
        id bigserial PRIMARY KEY,
        call_sid text NOT NULL,
        agent_identity text NOT NULL,
        to_number text NOT NULL,
        reason text NOT NULL,
        refused_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX outbound_call_refusals_agent ON outbound_call_refusals (agent_identity, refused_at)`,
      `CREATE INDEX call_events_received_at ON call_events (received_at)`,
      `CREATE INDEX voicemails_received_at ON voicemails (received_at)`,
    ],
  },
  {
    // Sign-in attempts counted per identity and per source address (issue 10, item 1).
    id: '0004_sign_in_failures',
    statements: [
      `CREATE TABLE sign_in_failures (
        id bigserial PRIMARY KEY,
        identity text NOT NULL,
        source text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX sign_in_failures_identity ON sign_in_failures (identity, failed_at)`,
      `CREATE INDEX sign_in_failures_source ON sign_in_failures (source, failed_at)`,
      `CREATE INDEX sign_in_failures_failed_at ON sign_in_failures (failed_at)`,
    ],
  },
  {
    // Callbacks are written before they are processed (a crash or a database fault loses nothing), and
    // calls left non-terminal are leased to one reconciler at a time.
    id: '0005_callback_inbox_and_call_reconciliation',
    statements: [
      `CREATE TABLE callback_inbox (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('status', 'recording')),
        delivery_key text NOT NULL UNIQUE,
        idempotency_token text,
        params jsonb NOT NULL,
        query jsonb NOT NULL DEFAULT '{}'::jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        retry_after timestamptz,
        last_error text
      )`,
      `CREATE INDEX callback_inbox_pending ON callback_inbox (id) WHERE processed_at IS NULL`,
      `ALTER TABLE calls ADD COLUMN reconcile_after timestamptz`,
      `CREATE INDEX calls_not_terminal ON calls (started_at) WHERE status_rank < 4`,
    ],
  },
  CONFERENCES_MIGRATION,
  TRANSFERS_MIGRATION,
  CONSULT_MIGRATION,
  RESCUES_MIGRATION,
  RESCUES_CONFERENCE_MIGRATION,
  AVAILABILITY_MIGRATION,
  TOKEN_RATE_MIGRATION,
  RING_ROUTING_MIGRATION,
  CALL_QUEUE_MIGRATION,
  CALL_QUALITY_MIGRATION,
];
