/**
 * @switchboard/softphone-voice-sdk-adapter: the only code that imports @twilio/voice-sdk
 * (lazily). App shell: `provideTwilioVoice(options?)` binds VOICE_PORT.
 */
export { provideTwilioVoice, type TwilioVoiceOptions } from './lib/provide-twilio-voice';
export { VOICE_SDK_PRELOAD_TIMEOUT_MS, provideVoiceSdkPreload } from './lib/preload-voice-sdk';
export { TwilioVoiceAdapter } from './lib/twilio-voice-adapter';
export { VoiceAdapterError } from './lib/sdk-error';
export {
  DEFAULT_VOICE_DEVICE_OPTIONS,
  LOAD_CLIENT_CONFIG,
  LOAD_VOICE_SDK,
  VOICE_ADAPTER_SCHEDULER,
  VOICE_DEVICE_OPTIONS,
  buildDeviceOptions,
  fetchClientConfig,
  parseClientConfig,
  type LoadClientConfig,
  type LoadVoiceSdk,
  type VoiceDeviceOptions,
  type WebRtcOverrides,
} from './lib/voice-device-options';
export { sdkEvent } from './lib/sdk-event';
export type { SdkAudioHelper, SdkCall, SdkDevice, SdkDeviceConstructor, SdkEmitter, VoiceSdkModule } from './lib/sdk-types';
