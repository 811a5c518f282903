export * from './lib/api-feature-voicemail';
