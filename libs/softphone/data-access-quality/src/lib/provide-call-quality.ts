import { type EnvironmentProviders, inject, makeEnvironmentProviders, provideAppInitializer } from '@angular/core';
import { QualityRecorder } from './recording/quality-recorder';

/**
 * Issue 14 for the app shell: records every call's quality and sends it (retrying unsent records after
 * sign-in and when the browser comes back online). Needs the voice state (provideVoiceState, VOICE_PORT)
 * and HttpClient, which the softphone app already provides.
 */
export function provideCallQuality(): EnvironmentProviders {
  return makeEnvironmentProviders([provideAppInitializer(() => inject(QualityRecorder).start())]);
}
