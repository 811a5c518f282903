export * from './lib/telephony';
export * from './lib/pstream';
export * from './lib/call-messages';
/** A clock that moves only when a unit test says so (implements SandboxClock). */
export { FakeClock } from './lib/fake-clock';
export * from './lib/conference';
export * from './lib/media-stats';
