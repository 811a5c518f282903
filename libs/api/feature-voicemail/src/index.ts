export * from './lib/voicemail.module';
