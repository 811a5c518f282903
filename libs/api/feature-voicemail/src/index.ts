export * from './lib/voicemail.module';
export { RetentionSweeper, type SweepReport } from './lib/retention-sweeper';
