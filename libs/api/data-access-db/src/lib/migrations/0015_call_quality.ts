import type { Migration } from './index';

/**
 * Call quality you can look back on (issue 14).
 * - call_quality_records: one row per call leg (`call_sid` is the agent's own leg), stored once: a retry
 *   of the same leg is `ON CONFLICT DO NOTHING`. The summary columns are derived by the API from the
 *   samples; the samples themselves are one compact bytea per leg (columnar, see quality-samples codec),
 *   never one row per second. `call_id` links the leg to the history call when the API knows it.
 *   Platform columns come from the User-Agent of the request, never from the body.
 * - call_quality_ratings: the agent's "How was the call?", apart from the record because it may come
 *   first (the prompt shows at hang-up, while the record may still be in the outbox).
 * - registration_setups: how long token and registration took, and their failures, per registration.
 * - line_tests: the SDK's preflight results.
 * Retention (QUALITY_RETENTION_DAYS) deletes by `ended_at` / `at`, hence those indexes.
 */
export const CALL_QUALITY_MIGRATION: Migration = {
  id: '0015_call_quality',
  statements: [
    `CREATE TABLE call_quality_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      call_sid text NOT NULL UNIQUE,
      identity text NOT NULL,
      call_id uuid,
      direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
      started_at timestamptz NOT NULL,
      ended_at timestamptz NOT NULL,
      band text NOT NULL CHECK (band IN ('good', 'fair', 'poor')),
      sample_count integer NOT NULL,
      mos_min real, mos_avg real, mos_max real,
      rtt_min real, rtt_avg real, rtt_max real,
      jitter_min real, jitter_avg real, jitter_max real,
      loss_min real, loss_avg real, loss_max real,
      seconds_past_mos integer NOT NULL,
      seconds_past_rtt integer NOT NULL,
      seconds_past_jitter integer NOT NULL,
      seconds_past_loss integer NOT NULL,
      warning_names text[] NOT NULL DEFAULT '{}',
      samples bytea NOT NULL,
      warnings jsonb NOT NULL,
      setup jsonb NOT NULL,
      codec text,
      local_candidate_type text,
      remote_candidate_type text,
      network_type text,
      edge text,
      dscp boolean NOT NULL,
      sdk_version text NOT NULL,
      input_device_label text,
      output_device_label text,
      browser text,
      browser_version text,
      os text,
      twilio_summary jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX call_quality_records_ended_at ON call_quality_records (ended_at)`,
    `CREATE INDEX call_quality_records_identity_ended_at ON call_quality_records (identity, ended_at)`,
    `CREATE INDEX call_quality_records_call_id ON call_quality_records (call_id)`,
    `CREATE TABLE call_quality_ratings (
      call_sid text PRIMARY KEY,
      identity text NOT NULL,
      score smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
      issues text[] NOT NULL DEFAULT '{}',
      at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE registration_setups (
      id bigserial PRIMARY KEY,
      identity text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      setup jsonb NOT NULL,
      edge text,
      sdk_version text NOT NULL,
      browser text,
      browser_version text,
      os text
    )`,
    `CREATE INDEX registration_setups_at ON registration_setups (at)`,
    `CREATE TABLE line_tests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      identity text NOT NULL,
      call_sid text,
      started_at timestamptz NOT NULL,
      ended_at timestamptz NOT NULL,
      call_quality text,
      verdict text NOT NULL CHECK (verdict IN ('excellent', 'good', 'poor')),
      edge text,
      result jsonb NOT NULL,
      browser text,
      browser_version text,
      os text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX line_tests_identity_ended_at ON line_tests (identity, ended_at DESC)`,
  ],
};
