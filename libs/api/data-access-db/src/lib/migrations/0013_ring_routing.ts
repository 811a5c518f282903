import type { Migration } from './index';

/**
 * Routing by availability (issue 13, item 3). `ring_groups` holds a group's settings (its strategy); a
 * group still exists while it has members (ring_group_members), and a group without a row rings all.
 * `call_ring_outcomes` says, per inbound call and member of its route, why they were not rung or how
 * their ringing ended: one row per agent and call, which only moves to a stronger outcome (`rank`:
 * answered 3 > declined / no-answer 2 > a reason not to ring 1), so replays and late callbacks are harmless.
 */
export const RING_ROUTING_MIGRATION: Migration = {
  id: '0013_ring_routing',
  statements: [
    `CREATE TABLE ring_groups (
      name text PRIMARY KEY,
      strategy text NOT NULL DEFAULT 'ring-all' CHECK (strategy IN ('ring-all', 'longest-idle'))
    )`,
    `CREATE TABLE call_ring_outcomes (
      call_sid text NOT NULL,
      identity text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('answered', 'declined', 'no-answer', 'away', 'on-call', 'wrap-up', 'offline', 'unreachable')),
      rank integer NOT NULL,
      at timestamptz NOT NULL,
      PRIMARY KEY (call_sid, identity)
    )`,
  ],
};
