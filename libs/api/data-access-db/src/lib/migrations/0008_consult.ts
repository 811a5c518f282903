import type { Migration } from './index';

/**
 * Warm transfer (consult, issue 12): a consult whose target answered stays open (status `answered`, no
 * outcome) while the two agents talk with the customer held, and is finished by the first agent as
 * completed, cancelled or three-way (the outcomes history shows). While one is open no other transfer of
 * the conference may start, so the one-at-a-time index now covers open consults as well as ringing
 * transfers. The constraint keeps the name Postgres gave the inline CHECK of 0007 on both engines.
 */
export const CONSULT_MIGRATION: Migration = {
  id: '0008_consult',
  statements: [
    `ALTER TABLE transfers DROP CONSTRAINT transfers_outcome_check`,
    `ALTER TABLE transfers ADD CONSTRAINT transfers_outcome_check
      CHECK (outcome IN ('transferred', 'returned', 'voicemail', 'completed', 'cancelled', 'three-way'))`,
    `DROP INDEX transfers_one_ringing_per_conference`,
    `CREATE UNIQUE INDEX transfers_one_open_per_conference ON transfers (conference_sid)
      WHERE status = 'ringing-target' OR (status = 'answered' AND outcome IS NULL)`,
  ],
};
