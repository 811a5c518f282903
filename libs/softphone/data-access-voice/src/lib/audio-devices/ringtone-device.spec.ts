import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import type { AudioDevice } from '@switchboard/shared-voice-model';
import { BehaviorSubject, Subject } from 'rxjs';
import { FakeVoicePort, InMemoryDevicePreferences, voiceRootState } from '../../testing';
import { selectSettingsViewModel } from '../softphone.selectors';
import { SoftphoneSettingsActions } from '../softphone-panel.actions';
import { newScheduler, play, storeOf } from '../testing-support/spec-helpers';
import { AudioDeviceCommandEvents, AudioSdkEvents } from './audio-sdk.actions';
import { persistDevicePreferences, reconcileOnDevicesChanged, selectDevice } from './audio-devices.effects';
import { audioDevicesFeature, type AudioDevicesState } from './audio-devices.feature';

const speaker = (deviceId: string, label: string): AudioDevice => ({ deviceId, label, groupId: `g-${deviceId}` });
const defaultSpeaker = speaker('default', 'Default');
const desk = speaker('desk-1', 'Desk speaker');
const loud = speaker('loud-1', 'Loud speaker');
const outputs = [defaultSpeaker, desk, loud];
const listed = (patch: Partial<AudioDevicesState> = {}) => voiceRootState({ audioDevices: { outputs, isOutputSelectionSupported: true, ...patch } });

describe('ringtone output device', () => {
  it('is chosen from the output devices and given to the SDK apart from the call speaker', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('-r', { r: SoftphoneSettingsActions.ringtoneDeviceSelected({ deviceId: 'loud-1' }) }));
      expectObservable(selectDevice(actions$, storeOf(hot('s', { s: listed() })), voice)).toBe('-a', { a: AudioDeviceCommandEvents.ringtoneApplied({ device: loud }) });
      flush();
      expect(voice.commands).toEqual([{ method: 'setRingtoneDevice', args: ['loud-1'] }]);
    });
  });

  it('is kept in the slice and the saved preferences, and shown as chosen in Settings', () => {
    const state = play(audioDevicesFeature.reducer, AudioDeviceCommandEvents.outputApplied({ device: desk }), AudioDeviceCommandEvents.ringtoneApplied({ device: loud }));
    expect(state).toMatchObject({ selectedOutput: desk, selectedRingtone: loud });
    expect(state.preferences).toEqual({ input: null, output: { deviceId: 'desk-1', label: 'Desk speaker' }, ringtone: { deviceId: 'loud-1', label: 'Loud speaker' } });
    expect(selectSettingsViewModel(voiceRootState({ audioDevices: state }))).toMatchObject({ selectedOutputId: 'desk-1', selectedRingtoneId: 'loud-1' });
  });

  it('is persisted with the other device choices', () => {
    const storage = new InMemoryDevicePreferences();
    const preferences = { input: null, output: null, ringtone: { deviceId: 'loud-1', label: 'Loud speaker' } };
    const actions = new Subject<Action>();
    persistDevicePreferences(new Actions(actions), storeOf(new BehaviorSubject(voiceRootState({ audioDevices: { preferences } }))), storage).subscribe();
    actions.next(AudioDeviceCommandEvents.ringtoneApplied({ device: loud }));
    expect(storage.saved).toEqual([preferences]);
  });

  it('is applied again after a reload, once the Device lists its outputs (matched by label when the id changed)', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const state = listed({ preferences: { input: null, output: null, ringtone: { deviceId: 'old-id', label: 'Loud speaker' } } });
      const actions$ = new Actions(hot<Action>('-c', { c: AudioSdkEvents.devicesChanged({ inputs: [], outputs, lostActiveDeviceIds: [], isOutputSelectionSupported: true }) }));
      expectObservable(reconcileOnDevicesChanged(actions$, storeOf(hot('s', { s: state })), voice)).toBe('-a', { a: AudioDeviceCommandEvents.ringtoneApplied({ device: loud }) });
      flush();
      expect(voice.commandsNamed('setRingtoneDevice')).toEqual([{ method: 'setRingtoneDevice', args: ['loud-1'] }]);
    });
  });

  it('falls back to the default when the chosen device is gone, and the agent is told in words', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state = listed({ outputs: [defaultSpeaker, desk], selectedRingtone: loud });
      const actions$ = new Actions(
        hot<Action>('-c', { c: AudioSdkEvents.devicesChanged({ inputs: [], outputs: [defaultSpeaker, desk], lostActiveDeviceIds: ['loud-1'], isOutputSelectionSupported: true }) }),
      );
      expectObservable(reconcileOnDevicesChanged(actions$, storeOf(hot('s', { s: state })), new FakeVoicePort())).toBe('-f', {
        f: AudioDeviceCommandEvents.fellBackToDefault({ kind: 'ringtone', lostLabel: 'Loud speaker' }),
      });
    });
    const after = play(audioDevicesFeature.reducer, AudioDeviceCommandEvents.ringtoneApplied({ device: loud }), AudioDeviceCommandEvents.fellBackToDefault({ kind: 'ringtone', lostLabel: 'Loud speaker' }));
    expect(after.selectedRingtone).toBeNull();
    // Kept, so the choice comes back when the device is plugged in again.
    expect(after.preferences.ringtone).toEqual({ deviceId: 'loud-1', label: 'Loud speaker' });
    expect(after.notice).toEqual({
      kind: 'ringtone',
      lostLabel: 'Loud speaker',
      message: '“Loud speaker” was disconnected, so calls ring on the default speaker now. Pick another ringtone device in Settings if needed.',
    });
  });
});
