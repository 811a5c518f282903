export * from './lib/conferences.module';
export { ConferenceSweep } from './lib/conference-sweep';
export { CUSTOMER_PARTICIPANT_LABEL, projectConference } from './lib/conference-projection';
export { ConferenceLiveUpdates } from './lib/conference-live-updates';
