import { makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';
import { audioDevicesEffects } from './audio-devices/audio-devices.effects';
import { audioDevicesFeature } from './audio-devices/audio-devices.feature';
import { callEffects } from './call/call.effects';
import { callControlEffects } from './call-control/call-control.effects';
import { callControlFeature } from './call-control/call-control.feature';
import { callFeature } from './call/call.feature';
import { connectionFeature } from './connection/connection.feature';
import { pageCheckEffects } from './connection/page-checks.effects';
import { registrationEffects } from './connection/registration.effects';
import { tabLeadershipEffects } from './connection/tab-leadership.effects';
import { tokenRefreshEffects } from './connection/token-refresh.effects';
import { edgeEffects } from './edge/edge.effects';
import { edgeFeature } from './edge/edge.feature';
import { farEndFeature } from './far-end/far-end.feature';
import { qualityEffects } from './quality/quality.effects';
import { qualityFeature } from './quality/quality.feature';
import { logRefusedMoves } from './refused-moves.effects';
import { ringingAlertsEffects } from './ringing-alerts/ringing-alerts.effects';
import { ringingAlertsFeature } from './ringing-alerts/ringing-alerts.feature';
import { DEFAULT_VOICE_STATE_CONFIG, VOICE_STATE_CONFIG, type VoiceStateConfig } from './voice-state.config';

/**
 * The voice slices (connection, call, quality, audio devices, edge, call control) and their effects. CALL_CONTROL_PORT is optional
 * (`provideCallControlApi()` from data-access-api); without it call control stays idle. Needs `provideStore()` at the root, a VOICE_PORT
 * (`provideTwilioVoice()`), VOICE_TOKEN_SOURCE and NUMBER_POLICY_CHECK (`provideVoiceSession()`, data-access-api), and the browser
 * ports MICROPHONE_ACCESS, PAGE_LIFECYCLE, TAB_LEADERSHIP, DEVICE_PREFERENCES_STORAGE (`provideBrowserAdapters()`).
 */
export function provideVoiceState(config: Partial<VoiceStateConfig> = {}): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: VOICE_STATE_CONFIG, useValue: { ...DEFAULT_VOICE_STATE_CONFIG, ...config } },
    provideState(connectionFeature),
    provideState(callFeature),
    provideState(qualityFeature),
    provideState(audioDevicesFeature),
    provideState(edgeFeature),
    provideState(callControlFeature),
    provideState(farEndFeature),
    provideState(ringingAlertsFeature),
    provideEffects(registrationEffects, tokenRefreshEffects, pageCheckEffects, tabLeadershipEffects, callEffects, qualityEffects, audioDevicesEffects, edgeEffects, callControlEffects, ringingAlertsEffects, { logRefusedMoves }),
  ]);
}
