import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store, type Action } from '@ngrx/store';
import { DEFAULT_AUDIO_DEVICE_ID, describeAppError, matchSavedDevice, type AudioDevice, type AudioEvent } from '@switchboard/shared-voice-model';
import { EMPTY, catchError, concat, defer, endWith, ignoreElements, map, mergeMap, of, switchMap, take, takeUntil, tap, type Observable } from 'rxjs';
import { DEVICE_PREFERENCES_STORAGE } from '../ports/device-preferences-storage';
import { MICROPHONE_ACCESS } from '../ports/microphone-access';
import { VOICE_PORT, type VoicePort } from '../ports/voice-port';
import { SessionEvents } from '../session.actions';
import { SoftphoneSettingsActions } from '../softphone-panel.actions';
import { toVoiceError } from '../to-voice-error';
import { VOICE_STATE_CONFIG } from '../voice-state.config';
import { AudioDeviceCommandEvents, AudioSdkEvents, MicrophoneEvents, type AudioDeviceKind } from './audio-sdk.actions';
import { audioDevicesFeature, type AudioDevicesState } from './audio-devices.feature';

export function toAudioAction(event: AudioEvent): Action {
  switch (event.kind) {
    case 'devices-changed':
      return AudioSdkEvents.devicesChanged({
        inputs: event.inputs,
        outputs: event.outputs,
        lostActiveDeviceIds: event.lostActiveDeviceIds,
        isOutputSelectionSupported: event.isOutputSelectionSupported,
      });
    case 'input-volume':
      return AudioSdkEvents.inputVolumeChanged({ level: event.level });
  }
}

export const audioEventsToActions = createEffect(
  (voice = inject(VOICE_PORT)) => {
    return voice.audioEvents$.pipe(map(toAudioAction));
  },
  { functional: true },
);

/**
 * Ask for the microphone on sign-in, BEFORE the Device exists (connectOnDemand waits for the
 * answer), and again when the agent presses "Check again". The port stops every track at once.
 */
export const checkMicrophone = createEffect(
  (actions$ = inject(Actions), microphone = inject(MICROPHONE_ACCESS)) => {
    return actions$.pipe(
      ofType(SessionEvents.signedIn, SoftphoneSettingsActions.microphoneCheckClicked),
      switchMap(() =>
        concat(
          of(MicrophoneEvents.promptStarted()),
          microphone.check().pipe(
            take(1),
            map((result) => (result.permission === 'granted' ? MicrophoneEvents.granted() : MicrophoneEvents.denied({ error: result.error }))),
            catchError((error: unknown) => of(MicrophoneEvents.denied({ error: toVoiceError(error, 'MicrophoneUnavailable') }))),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/** Granting the microphone later in the browser enables calling without a reload. */
export const watchBrowserMicrophonePermission = createEffect(
  (actions$ = inject(Actions), microphone = inject(MICROPHONE_ACCESS)) => {
    return actions$.pipe(
      ofType(SessionEvents.signedIn),
      switchMap(() =>
        microphone.permissionChanges().pipe(
          map((permission) => MicrophoneEvents.browserPermissionChanged({ permission })),
          catchError(() => EMPTY),
          takeUntil(actions$.pipe(ofType(SessionEvents.signedOut))),
        ),
      ),
    );
  },
  { functional: true },
);

export const loadDevicePreferences = createEffect(
  (actions$ = inject(Actions), storage = inject(DEVICE_PREFERENCES_STORAGE)) => {
    return actions$.pipe(
      ofType(SessionEvents.signedIn),
      map(() => AudioDeviceCommandEvents.preferencesLoaded({ preferences: storage.load() })),
    );
  },
  { functional: true },
);

const SET_DEVICE = {
  input: (voice, deviceId) => voice.setInputDevice(deviceId),
  output: (voice, deviceId) => voice.setOutputDevice(deviceId),
  ringtone: (voice, deviceId) => voice.setRingtoneDevice(deviceId),
} as const satisfies Record<AudioDeviceKind, (voice: VoicePort, deviceId: string) => Observable<void>>;

const APPLIED = {
  input: AudioDeviceCommandEvents.inputApplied,
  output: AudioDeviceCommandEvents.outputApplied,
  ringtone: AudioDeviceCommandEvents.ringtoneApplied,
} as const;

/** The list a kind is chosen from: the ringtone plays on an output device like the call audio. */
const devicesFor = (state: AudioDevicesState, kind: AudioDeviceKind): readonly AudioDevice[] => (kind === 'input' ? state.inputs : state.outputs);

const SELECTED = {
  input: (state) => state.selectedInput,
  output: (state) => state.selectedOutput,
  ringtone: (state) => state.selectedRingtone,
} as const satisfies Record<AudioDeviceKind, (state: AudioDevicesState) => AudioDevice | null>;

function apply(voice: VoicePort, kind: AudioDeviceKind, device: AudioDevice): Observable<Action> {
  const set$ = defer(() => SET_DEVICE[kind](voice, device.deviceId));
  return set$.pipe(
    take(1),
    // Completion means "applied", with or without a value.
    ignoreElements(),
    endWith(null),
    map(() => APPLIED[kind]({ device })),
    catchError((error: unknown) => of(AudioDeviceCommandEvents.applyFailed({ kind, error: toVoiceError(error, 'MicrophoneUnavailable') }))),
  );
}

/**
 * After each device-list change: a chosen device that vanished falls back to the default and
 * the agent is told; a saved choice that (re)appears is applied (by id, then by label).
 */
export function reconcileDevices(
  state: AudioDevicesState,
  lostActiveDeviceIds: readonly string[],
): { readonly fallbacks: readonly { kind: AudioDeviceKind; lostLabel: string }[]; readonly restores: readonly { kind: AudioDeviceKind; device: AudioDevice }[] } {
  const fallbacks: { kind: AudioDeviceKind; lostLabel: string }[] = [];
  const restores: { kind: AudioDeviceKind; device: AudioDevice }[] = [];
  for (const kind of ['input', 'output', 'ringtone'] as const) {
    const list = devicesFor(state, kind);
    const selected = SELECTED[kind](state);
    const saved = state.preferences[kind] ?? null;
    if (selected && (lostActiveDeviceIds.includes(selected.deviceId) || !list.some((d) => d.deviceId === selected.deviceId))) {
      fallbacks.push({ kind, lostLabel: selected.label });
      continue;
    }
    if (!selected && saved && saved.deviceId !== DEFAULT_AUDIO_DEVICE_ID) {
      const match = matchSavedDevice(saved, list);
      if (match) restores.push({ kind, device: match });
    }
  }
  return { fallbacks, restores };
}

export const reconcileOnDevicesChanged = createEffect(
  (actions$ = inject(Actions), store = inject(Store), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(AudioSdkEvents.devicesChanged),
      concatLatestFrom(() => store.select(audioDevicesFeature.selectAudioDevicesState)),
      switchMap(([{ lostActiveDeviceIds }, state]) => {
        const { fallbacks, restores } = reconcileDevices(state, lostActiveDeviceIds);
        return concat(
          of(...fallbacks.map((f) => AudioDeviceCommandEvents.fellBackToDefault(f))),
          ...restores.map((r) => apply(voice, r.kind, r.device)),
        );
      }),
    );
  },
  { functional: true },
);

export const selectDevice = createEffect(
  (actions$ = inject(Actions), store = inject(Store), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(SoftphoneSettingsActions.inputDeviceSelected, SoftphoneSettingsActions.outputDeviceSelected, SoftphoneSettingsActions.ringtoneDeviceSelected),
      concatLatestFrom(() => store.select(audioDevicesFeature.selectAudioDevicesState)),
      mergeMap(([action, state]) => {
        const kind: AudioDeviceKind =
          action.type === SoftphoneSettingsActions.inputDeviceSelected.type ? 'input' : action.type === SoftphoneSettingsActions.outputDeviceSelected.type ? 'output' : 'ringtone';
        const device = devicesFor(state, kind).find((d) => d.deviceId === action.deviceId);
        if (!device) {
          return of(AudioDeviceCommandEvents.applyFailed({ kind, error: describeAppError(kind === 'input' ? 'MicrophoneUnavailable' : 'DeviceSetupFailed') }));
        }
        return apply(voice, kind, device);
      }),
    );
  },
  { functional: true },
);

/** Persist what the agent chose (non-dispatching), through the storage port. */
export const persistDevicePreferences = createEffect(
  (actions$ = inject(Actions), store = inject(Store), storage = inject(DEVICE_PREFERENCES_STORAGE)) => {
    return actions$.pipe(
      ofType(AudioDeviceCommandEvents.inputApplied, AudioDeviceCommandEvents.outputApplied, AudioDeviceCommandEvents.ringtoneApplied),
      concatLatestFrom(() => store.select(audioDevicesFeature.selectPreferences)),
      tap(([, preferences]) => storage.save(preferences)),
    );
  },
  { functional: true, dispatch: false },
);

export const testSpeaker = createEffect(
  (actions$ = inject(Actions), voice = inject(VOICE_PORT), config = inject(VOICE_STATE_CONFIG)) => {
    return actions$.pipe(
      ofType(SoftphoneSettingsActions.speakerTestClicked),
      switchMap(() =>
        defer(() => voice.testSpeaker(config.speakerTestSoundUrl)).pipe(
          take(1),
          ignoreElements(),
          endWith(null),
          map(() => AudioDeviceCommandEvents.speakerTestStarted()),
          catchError((error: unknown) => of(AudioDeviceCommandEvents.speakerTestFailed({ error: toVoiceError(error, 'DeviceSetupFailed') }))),
        ),
      ),
    );
  },
  { functional: true },
);

export const audioDevicesEffects = {
  audioEventsToActions,
  checkMicrophone,
  watchBrowserMicrophonePermission,
  loadDevicePreferences,
  reconcileOnDevicesChanged,
  selectDevice,
  persistDevicePreferences,
  testSpeaker,
};
