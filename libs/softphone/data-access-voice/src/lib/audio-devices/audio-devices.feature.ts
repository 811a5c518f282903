import { createFeature, createReducer, on, type Action } from '@ngrx/store';
import {
  MICROPHONE_PERMISSION_TRANSITIONS,
  type AudioDevice,
  type MicrophonePermission,
  type RefusedMove,
  type VoiceErrorInfo,
} from '@switchboard/shared-voice-model';
import { applyMove } from '../apply-move';
import { NO_DEVICE_PREFERENCES, type DevicePreferences } from '../ports/device-preferences-storage';
import { SessionEvents } from '../session.actions';
import { SoftphoneSettingsActions } from '../softphone-panel.actions';
import { AudioDeviceCommandEvents, AudioSdkEvents, MicrophoneEvents, type AudioDeviceKind } from './audio-sdk.actions';

export interface DeviceNotice {
  readonly kind: AudioDeviceKind;
  /** Label of the device that disappeared. */
  readonly lostLabel: string;
  readonly message: string;
}

export type SpeakerTestStatus = 'idle' | 'starting' | 'playing' | 'failed';

export interface AudioDevicesState {
  readonly permission: MicrophonePermission;
  readonly permissionError: VoiceErrorInfo | null;
  readonly inputs: readonly AudioDevice[];
  readonly outputs: readonly AudioDevice[];
  /** Chrome/Edge only (setSinkId). */
  readonly isOutputSelectionSupported: boolean;
  /** null: the browser default. */
  readonly selectedInput: AudioDevice | null;
  readonly selectedOutput: AudioDevice | null;
  /** Where calls ring; null: the browser default. */
  readonly selectedRingtone: AudioDevice | null;
  /** What the agent chose, as persisted; kept when the device is unplugged so it comes back. */
  readonly preferences: DevicePreferences;
  readonly notice: DeviceNotice | null;
  /** Microphone level 0–1 for the meter. */
  readonly inputLevel: number;
  readonly speakerTest: SpeakerTestStatus;
  readonly lastError: VoiceErrorInfo | null;
  readonly rejected: RefusedMove<MicrophonePermission> | null;
}

export const initialAudioDevicesState: AudioDevicesState = {
  permission: 'unknown',
  permissionError: null,
  inputs: [],
  outputs: [],
  isOutputSelectionSupported: false,
  selectedInput: null,
  selectedOutput: null,
  selectedRingtone: null,
  preferences: NO_DEVICE_PREFERENCES,
  notice: null,
  inputLevel: 0,
  speakerTest: 'idle',
  lastError: null,
  rejected: null,
};

function movePermission(state: AudioDevicesState, to: MicrophonePermission, action: Action, patch: Partial<AudioDevicesState> = {}): AudioDevicesState {
  const move = applyMove(MICROPHONE_PERMISSION_TRANSITIONS, state.permission, to, action.type);
  return move.allowed ? { ...state, ...patch, permission: to, rejected: null } : { ...state, rejected: move.refused };
}

export function describeDeviceLoss(kind: AudioDeviceKind, lostLabel: string): string {
  const what = kind === 'input' ? 'microphone' : kind === 'output' ? 'speaker' : 'ringtone speaker';
  const name = lostLabel.trim() === '' ? `Your ${what}` : `“${lostLabel}”`;
  if (kind === 'ringtone') {
    return `${name} was disconnected, so calls ring on the default speaker now. Pick another ringtone device in Settings if needed.`;
  }
  return `${name} was disconnected, so the default ${what} is used now. Pick another in Settings if needed.`;
}

const SELECTED_KEY = { input: 'selectedInput', output: 'selectedOutput', ringtone: 'selectedRingtone' } as const satisfies Record<AudioDeviceKind, keyof AudioDevicesState>;

export const audioDevicesFeature = createFeature({
  name: 'audioDevices',
  reducer: createReducer(
    initialAudioDevicesState,
    on(MicrophoneEvents.promptStarted, (state, action): AudioDevicesState =>
      // Already granted: re-checking must not flash "prompting" at the agent.
      state.permission === 'granted' ? state : movePermission(state, 'prompting', action),
    ),
    on(MicrophoneEvents.granted, (state, action): AudioDevicesState => movePermission(state, 'granted', action, { permissionError: null })),
    on(MicrophoneEvents.denied, (state, action): AudioDevicesState => movePermission(state, 'denied', action, { permissionError: action.error })),
    on(MicrophoneEvents.browserPermissionChanged, (state, action): AudioDevicesState => {
      if (action.permission === 'granted') return movePermission(state, 'granted', action, { permissionError: null });
      if (action.permission === 'denied') return movePermission(state, 'denied', action);
      return state; // 'prompt': the agent reset the choice; the next check will ask.
    }),
    on(AudioSdkEvents.devicesChanged, (state, { inputs, outputs, isOutputSelectionSupported }): AudioDevicesState => ({
      ...state,
      inputs,
      outputs,
      isOutputSelectionSupported,
    })),
    on(AudioSdkEvents.inputVolumeChanged, (state, { level }): AudioDevicesState => ({ ...state, inputLevel: level })),
    on(AudioDeviceCommandEvents.preferencesLoaded, (state, { preferences }): AudioDevicesState => ({ ...state, preferences })),
    on(AudioDeviceCommandEvents.inputApplied, (state, { device }): AudioDevicesState => ({
      ...state,
      selectedInput: device,
      preferences: { ...state.preferences, input: { deviceId: device.deviceId, label: device.label } },
      lastError: null,
    })),
    on(AudioDeviceCommandEvents.outputApplied, (state, { device }): AudioDevicesState => ({
      ...state,
      selectedOutput: device,
      preferences: { ...state.preferences, output: { deviceId: device.deviceId, label: device.label } },
      lastError: null,
    })),
    on(AudioDeviceCommandEvents.ringtoneApplied, (state, { device }): AudioDevicesState => ({
      ...state,
      selectedRingtone: device,
      preferences: { ...state.preferences, ringtone: { deviceId: device.deviceId, label: device.label } },
      lastError: null,
    })),
    on(AudioDeviceCommandEvents.applyFailed, (state, { error }): AudioDevicesState => ({ ...state, lastError: error })),
    on(AudioDeviceCommandEvents.fellBackToDefault, (state, { kind, lostLabel }): AudioDevicesState => ({
      ...state,
      [SELECTED_KEY[kind]]: null,
      notice: { kind, lostLabel, message: describeDeviceLoss(kind, lostLabel) },
    })),
    on(SoftphoneSettingsActions.deviceNoticeDismissed, (state): AudioDevicesState => ({ ...state, notice: null })),
    on(SoftphoneSettingsActions.speakerTestClicked, (state): AudioDevicesState => ({ ...state, speakerTest: 'starting' })),
    on(AudioDeviceCommandEvents.speakerTestStarted, (state): AudioDevicesState => ({ ...state, speakerTest: 'playing' })),
    on(AudioDeviceCommandEvents.speakerTestFailed, (state, { error }): AudioDevicesState => ({ ...state, speakerTest: 'failed', lastError: error })),
    on(SessionEvents.signedOut, (state): AudioDevicesState => ({ ...initialAudioDevicesState, permission: state.permission })),
  ),
});
