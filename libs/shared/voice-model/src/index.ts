export * from './lib/shared-voice-model';
