import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type { AudioDevice, VoiceErrorInfo } from '@switchboard/shared-voice-model';
import type { DevicePreferences } from '../ports/device-preferences-storage';

/** A device the agent chooses: the microphone, the call audio's speaker, or where calls ring. */
export type AudioDeviceKind = 'input' | 'output' | 'ringtone';

export const AudioSdkEvents = createActionGroup({
  source: 'Voice SDK Audio',
  events: {
    'Devices Changed': props<{
      inputs: readonly AudioDevice[];
      outputs: readonly AudioDevice[];
      lostActiveDeviceIds: readonly string[];
      isOutputSelectionSupported: boolean;
    }>(),
    'Input Volume Changed': props<{ level: number }>(),
  },
});

/** Microphone permission: asked before the Device is created, watched afterwards. */
export const MicrophoneEvents = createActionGroup({
  source: 'Microphone Permission',
  events: {
    'Prompt Started': emptyProps(),
    Granted: emptyProps(),
    Denied: props<{ error: VoiceErrorInfo }>(),
    /** navigator.permissions reported a change after the first answer. */
    'Browser Permission Changed': props<{ permission: 'granted' | 'denied' | 'prompt' }>(),
  },
});

/** The audio-devices effects applied (or failed to apply) a choice. */
export const AudioDeviceCommandEvents = createActionGroup({
  source: 'Voice Audio Commands',
  events: {
    'Preferences Loaded': props<{ preferences: DevicePreferences }>(),
    'Input Applied': props<{ device: AudioDevice }>(),
    'Output Applied': props<{ device: AudioDevice }>(),
    'Ringtone Applied': props<{ device: AudioDevice }>(),
    'Apply Failed': props<{ kind: AudioDeviceKind; error: VoiceErrorInfo }>(),
    /** A chosen device vanished; the default is used and the agent is told. */
    'Fell Back To Default': props<{ kind: AudioDeviceKind; lostLabel: string }>(),
    'Speaker Test Started': emptyProps(),
    'Speaker Test Failed': props<{ error: VoiceErrorInfo }>(),
  },
});
