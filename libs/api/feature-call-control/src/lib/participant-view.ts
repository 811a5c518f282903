// The participant view moved to api-data-access-live-events: the `call.participants` events carry the same view.
export { maskNumber, toParticipantView, type DirectoryEntry } from '@switchboard/api-data-access-live-events';
