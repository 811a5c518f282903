import type { Migration } from './index';

/**
 * History's handoff lookup (CallHandoffsRepository) joins every rescue of a call's conference, closed
 * ones included; 0009 indexed conference_sid only for open rescues, so without this that join scans.
 * The retention purge of `intended_leaves` by age uses 0009's intended_leaves_recorded_at; rescues and
 * transfers are kept with the call history they belong to (call rows are never deleted).
 */
export const RESCUES_CONFERENCE_MIGRATION: Migration = {
  id: '0010_rescues_conference',
  statements: [
    `CREATE INDEX rescues_conference ON rescues (conference_sid)`,
  ],
};
