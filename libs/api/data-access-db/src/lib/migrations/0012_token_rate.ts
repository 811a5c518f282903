import type { Migration } from './index';

/**
 * Rate limits that hold across API instances (issue 13, item 5), first the voice-token route's per-agent
 * limit: at most `max` takes per key in any `window`, exactly (a sliding log), decided in ONE round trip.
 *
 * `rate_limits` has one row per key: `taken` numbers the takes let through. `rate_limit_takes` keeps the
 * time of the latest `max` of them, keyed by that number, so "is the max-th newest take still inside the
 * window?" is one primary-key lookup whatever `max` is. The function does it all in one call:
 * - the upsert on `rate_limits` locks the key's row, so takes of one key queue there on every instance;
 *   each later statement of the function takes a fresh snapshot (READ COMMITTED), so it sees the take
 *   that held the lock before it. On the embedded engine one statement runs at a time anyway.
 * - refused: the number is given back and nothing is recorded (a refused take does not count).
 * - allowed: take n-max (out of the window, or never recorded) is deleted and take n recorded, so a key
 *   keeps at most `max` rows and nothing needs a sweep. A row is only deleted once out of the window,
 *   so a missing row always means "not in the window": instances configured with a different `max`
 *   (a rolling restart) each still apply their own limit exactly.
 * The clock is the database's, read after the lock (clock_timestamp, not the transaction's start), so
 * instances with skewed clocks agree and numbers and times increase together.
 *
 * UNLOGGED: a take is not worth a WAL flush. On the machine's Postgres a logged take waited ~2 ms for
 * fsync; unlogged it is a few tens of µs. The cost: after a server crash (or on a failed-over replica)
 * the counts start again from zero, which lets at most one extra window's worth through.
 */
export const TOKEN_RATE_MIGRATION: Migration = {
  id: '0012_token_rate',
  statements: [
    `CREATE UNLOGGED TABLE rate_limits (
      key text PRIMARY KEY,
      taken bigint NOT NULL
    )`,
    `CREATE UNLOGGED TABLE rate_limit_takes (
      key text NOT NULL,
      seq bigint NOT NULL,
      taken_at timestamptz NOT NULL,
      PRIMARY KEY (key, seq)
    )`,
    // Returns 0 when the take was let through and recorded, else the whole seconds (≥ 1) until one would be.
    `CREATE FUNCTION rate_limit_take(p_key text, p_max integer, p_window_seconds integer) RETURNS integer
    LANGUAGE plpgsql AS $$
    DECLARE
      n bigint;
      at timestamptz;
      oldest timestamptz;
      window_length interval := p_window_seconds * interval '1 second';
    BEGIN
      INSERT INTO rate_limits AS r (key, taken) VALUES (p_key, 1)
        ON CONFLICT (key) DO UPDATE SET taken = r.taken + 1
        RETURNING r.taken INTO n;
      at := clock_timestamp();
      IF n > p_max THEN
        SELECT t.taken_at INTO oldest FROM rate_limit_takes t WHERE t.key = p_key AND t.seq = n - p_max;
        IF oldest > at - window_length THEN
          UPDATE rate_limits SET taken = n - 1 WHERE key = p_key;
          RETURN greatest(1, ceil(extract(epoch FROM oldest + window_length - at)))::integer;
        END IF;
        DELETE FROM rate_limit_takes t WHERE t.key = p_key AND t.seq = n - p_max;
      END IF;
      INSERT INTO rate_limit_takes (key, seq, taken_at) VALUES (p_key, n, at);
      RETURN 0;
    END
    $$`,
  ],
};
