/**
 * @switchboard/shared-voice-model: framework-free vocabulary of the softphone.
 * Transition tables (connection, call, microphone permission), the adapter's event unions,
 * the SDK error vocabulary with guidance, and quality-warning remediation.
 */
export * from './lib/machine';
export * from './lib/connection-machine';
export * from './lib/call-machine';
export * from './lib/audio-permission-machine';
export * from './lib/voice-errors';
export * from './lib/quality';
export * from './lib/voice-events';
export * from './lib/edge-preference';
export * from './lib/call-control-machine';
