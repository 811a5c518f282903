import { InjectionToken } from '@angular/core';
import { REREGISTER_BACKOFF, type BackoffPolicy } from '@switchboard/shared-voice-model';

export interface VoiceStateConfig {
  /** A register() that has not settled by then counts as failed (twilio-voice.js#445). */
  readonly registrationTimeoutMs: number;
  /** During a call, a token refresh waits for hang-up unless expiry is closer than this. */
  readonly tokenNearExpiryMs: number;
  /** Back-off between registration retries. */
  readonly backoff: BackoffPolicy;
  /** Source of jitter; tests pass a fixed one. */
  readonly random: () => number;
  /**
   * A locally served sound for the speaker test. null: the adapter uses the Device's own
   * `outgoing` sound (in sandbox mode the sandbox serves it locally; nothing reaches a CDN).
   */
  readonly speakerTestSoundUrl: string | null;
  /**
   * Hang-up of a conference-anchored call goes through the API (so no rescue follows). If the API has not
   * answered, or the SDK call has not ended, this long after the click, the call is disconnected locally.
   */
  readonly hangUpApiTimeoutMs: number;
}

export const DEFAULT_VOICE_STATE_CONFIG: VoiceStateConfig = {
  registrationTimeoutMs: 20_000,
  tokenNearExpiryMs: 30_000,
  backoff: REREGISTER_BACKOFF,
  random: Math.random,
  // Served by apps/softphone (public/assets/sounds), so it works offline in sandbox mode too.
  speakerTestSoundUrl: '/assets/sounds/speaker-test.wav',
  hangUpApiTimeoutMs: 3000,
};

export const VOICE_STATE_CONFIG = new InjectionToken<VoiceStateConfig>('VOICE_STATE_CONFIG', {
  providedIn: 'root',
  factory: () => DEFAULT_VOICE_STATE_CONFIG,
});

/** Wall clock, injectable so effects can be tested with virtual time. */
export interface VoiceClock {
  now(): number;
}

export const VOICE_CLOCK = new InjectionToken<VoiceClock>('VOICE_CLOCK', {
  providedIn: 'root',
  factory: () => ({ now: () => Date.now() }),
});
