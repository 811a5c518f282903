import { makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { VOICE_PORT } from '@switchboard/softphone-data-access-voice';
import { TwilioVoiceAdapter } from './twilio-voice-adapter';
import { DEFAULT_VOICE_DEVICE_OPTIONS, VOICE_DEVICE_OPTIONS, type VoiceDeviceOptions, type WebRtcOverrides } from './voice-device-options';

export interface TwilioVoiceOptions extends Partial<Omit<VoiceDeviceOptions, 'webRtc'>> {
  readonly webRtc?: WebRtcOverrides;
}

/** Binds VOICE_PORT to the Twilio adapter with the given Device options over the defaults. */
export function provideTwilioVoice(options: TwilioVoiceOptions = {}): EnvironmentProviders {
  const merged: VoiceDeviceOptions = {
    ...DEFAULT_VOICE_DEVICE_OPTIONS,
    ...options,
    webRtc: { ...DEFAULT_VOICE_DEVICE_OPTIONS.webRtc, ...options.webRtc },
    extra: { ...DEFAULT_VOICE_DEVICE_OPTIONS.extra, ...options.extra },
  };
  return makeEnvironmentProviders([
    { provide: VOICE_DEVICE_OPTIONS, useValue: merged },
    TwilioVoiceAdapter,
    { provide: VOICE_PORT, useExisting: TwilioVoiceAdapter },
  ]);
}
