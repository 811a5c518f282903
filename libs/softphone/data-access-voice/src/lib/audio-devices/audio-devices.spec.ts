import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { describeAppError, type AudioDevice } from '@switchboard/shared-voice-model';
import { BehaviorSubject, Subject, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { FakeMicrophoneAccess, FakeVoicePort, InMemoryDevicePreferences, voiceRootState, type VoiceRootState } from '../../testing';
import { SessionEvents } from '../session.actions';
import { SoftphoneSettingsActions } from '../softphone-panel.actions';
import { play, specConfig, storeOf } from '../testing-support/spec-helpers';
import { AudioDeviceCommandEvents, AudioSdkEvents, MicrophoneEvents } from './audio-sdk.actions';
import { checkMicrophone, persistDevicePreferences, reconcileOnDevicesChanged, selectDevice, testSpeaker, watchBrowserMicrophonePermission } from './audio-devices.effects';
import { audioDevicesFeature, initialAudioDevicesState, type AudioDevicesState } from './audio-devices.feature';

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const reducer = audioDevicesFeature.reducer;
const mic = (deviceId: string, label: string): AudioDevice => ({ deviceId, label, groupId: `g-${deviceId}` });
const defaultMic = mic('default', 'Default');
const jabra = mic('jabra-1', 'Jabra Evolve');
const denied = describeAppError('MicrophoneDenied');

describe('audio devices slice as event paths', () => {
  it('unknown → prompting → granted', () => {
    expect(play(reducer, MicrophoneEvents.promptStarted(), MicrophoneEvents.granted())).toMatchObject({ permission: 'granted', rejected: null });
  });

  it('denied, then allowed later in the browser: granted without a reload', () => {
    const state = play(reducer, MicrophoneEvents.promptStarted(), MicrophoneEvents.denied({ error: denied }), MicrophoneEvents.browserPermissionChanged({ permission: 'granted' }));
    expect(state).toMatchObject({ permission: 'granted', permissionError: null });
  });

  it('a re-check while granted does not flash "prompting"', () => {
    expect(play(reducer, MicrophoneEvents.granted(), MicrophoneEvents.promptStarted()).permission).toBe('granted');
  });

  it('refuses a move the table does not allow, and says so', () => {
    const prompting = play(reducer, MicrophoneEvents.promptStarted());
    const state = reducer({ ...prompting, permission: 'prompting' }, MicrophoneEvents.promptStarted());
    expect(state.rejected).toBeNull();
    const fromUnknown = reducer(initialAudioDevicesState, MicrophoneEvents.browserPermissionChanged({ permission: 'prompt' }));
    expect(fromUnknown.permission).toBe('unknown');
  });

  it('a vanished device falls back to the default with a notice; the preference is kept for when it returns', () => {
    const state = play(
      reducer,
      AudioSdkEvents.devicesChanged({ inputs: [defaultMic, jabra], outputs: [], lostActiveDeviceIds: [], isOutputSelectionSupported: true }),
      AudioDeviceCommandEvents.inputApplied({ device: jabra }),
      AudioDeviceCommandEvents.fellBackToDefault({ kind: 'input', lostLabel: 'Jabra Evolve' }),
    );
    expect(state.selectedInput).toBeNull();
    expect(state.notice?.message).toContain('Jabra Evolve');
    expect(state.preferences.input).toEqual({ deviceId: 'jabra-1', label: 'Jabra Evolve' });
    expect(reducer(state, SoftphoneSettingsActions.deviceNoticeDismissed()).notice).toBeNull();
  });

  it('sign-out keeps the browser permission but forgets lists and choices', () => {
    const state = play(reducer, MicrophoneEvents.granted(), AudioDeviceCommandEvents.inputApplied({ device: jabra }), SessionEvents.signedOut());
    expect(state).toMatchObject({ permission: 'granted', selectedInput: null, inputs: [] });
  });
});

describe('audio devices effects', () => {
  it('asks for the microphone on sign-in: prompting, then the answer', () => {
    newScheduler().run(({ hot, cold, expectObservable }) => {
      const microphone = new FakeMicrophoneAccess({ check: () => cold('--d', { d: { permission: 'denied' as const, error: denied } }) });
      const actions$ = new Actions(hot<Action>('-s', { s: SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }) }));
      expectObservable(checkMicrophone(actions$, microphone)).toBe('-p-d', { p: MicrophoneEvents.promptStarted(), d: MicrophoneEvents.denied({ error: denied }) });
    });
  });

  it('a throwing check is reported as denied/unavailable, not a dead effect', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const microphone = new FakeMicrophoneAccess({ check: () => throwError(() => new Error('boom')) });
      const actions$ = new Actions(hot<Action>('-c', { c: SoftphoneSettingsActions.microphoneCheckClicked() }));
      expectObservable(checkMicrophone(actions$, microphone)).toBe('-(pd)', {
        p: MicrophoneEvents.promptStarted(),
        d: MicrophoneEvents.denied({ error: describeAppError('MicrophoneUnavailable') }),
      });
    });
  });

  it('watches browser permission changes while signed in', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const changes = hot<'granted' | 'denied' | 'prompt'>('---g--g', { g: 'granted' });
      const microphone = new FakeMicrophoneAccess({ permissionChanges: () => changes });
      const actions$ = new Actions(hot<Action>('-s---o', { s: SessionEvents.signedIn({ agent: { identity: 'a', displayName: 'A' } }), o: SessionEvents.signedOut() }));
      expectObservable(watchBrowserMicrophonePermission(actions$, microphone)).toBe('---g', { g: MicrophoneEvents.browserPermissionChanged({ permission: 'granted' }) });
    });
  });

  const withLists = (patch: Partial<AudioDevicesState>): VoiceRootState =>
    voiceRootState({ audioDevices: { inputs: [defaultMic, jabra], outputs: [mic('default', 'Default')], ...patch } });

  it('a chosen device that disappears falls back to the default and the agent is told', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state = voiceRootState({ audioDevices: { inputs: [defaultMic], selectedInput: jabra, preferences: { input: { deviceId: 'jabra-1', label: 'Jabra Evolve' }, output: null } } });
      const actions$ = new Actions(
        hot<Action>('-c', { c: AudioSdkEvents.devicesChanged({ inputs: [defaultMic], outputs: [], lostActiveDeviceIds: ['jabra-1'], isOutputSelectionSupported: true }) }),
      );
      expectObservable(reconcileOnDevicesChanged(actions$, storeOf(hot('s', { s: state })), new FakeVoicePort())).toBe('-f', {
        f: AudioDeviceCommandEvents.fellBackToDefault({ kind: 'input', lostLabel: 'Jabra Evolve' }),
      });
    });
  });

  it('restores a saved choice by label when its id changed', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const state = withLists({ preferences: { input: { deviceId: 'old-id', label: 'Jabra Evolve' }, output: null } });
      const actions$ = new Actions(hot<Action>('-c', { c: AudioSdkEvents.devicesChanged({ inputs: [defaultMic, jabra], outputs: [], lostActiveDeviceIds: [], isOutputSelectionSupported: true }) }));
      expectObservable(reconcileOnDevicesChanged(actions$, storeOf(hot('s', { s: state })), voice)).toBe('-a', { a: AudioDeviceCommandEvents.inputApplied({ device: jabra }) });
      flush();
      expect(voice.commandsNamed('setInputDevice')).toEqual([{ method: 'setInputDevice', args: ['jabra-1'] }]);
    });
  });

  it('selecting a device applies it through the port; an unknown id or a failure becomes state', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const voice = new FakeVoicePort({ setOutputDevice: () => throwError(() => ({ code: 31402, message: 'no' })) });
      const actions$ = new Actions(
        hot<Action>('-abc', {
          a: SoftphoneSettingsActions.inputDeviceSelected({ deviceId: 'jabra-1' }),
          b: SoftphoneSettingsActions.inputDeviceSelected({ deviceId: 'nope' }),
          c: SoftphoneSettingsActions.outputDeviceSelected({ deviceId: 'default' }),
        }),
      );
      expectObservable(selectDevice(actions$, storeOf(hot('s', { s: withLists({}) })), voice)).toBe('-abc', {
        a: AudioDeviceCommandEvents.inputApplied({ device: jabra }),
        b: AudioDeviceCommandEvents.applyFailed({ kind: 'input', error: describeAppError('MicrophoneUnavailable') }),
        c: expect.objectContaining({ type: AudioDeviceCommandEvents.applyFailed.type, kind: 'output', error: expect.objectContaining({ code: 31402 }) }) as unknown as Action,
      });
    });
  });

  it('persists the chosen devices through the storage port', () => {
    const storage = new InMemoryDevicePreferences();
    const preferences = { input: { deviceId: 'jabra-1', label: 'Jabra Evolve' }, output: null };
    const actions = new Subject<Action>();
    persistDevicePreferences(new Actions(actions), storeOf(new BehaviorSubject(voiceRootState({ audioDevices: { preferences } }))), storage).subscribe();
    actions.next(AudioDeviceCommandEvents.inputApplied({ device: jabra }));
    expect(storage.saved).toEqual([preferences]);
  });

  it('plays the speaker test from the locally served URL', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort({ testSpeaker: () => of(undefined) });
      const actions$ = new Actions(hot<Action>('t', { t: SoftphoneSettingsActions.speakerTestClicked() }));
      expectObservable(testSpeaker(actions$, voice, specConfig({ speakerTestSoundUrl: '/sounds/outgoing.wav' }))).toBe('s', { s: AudioDeviceCommandEvents.speakerTestStarted() });
      flush();
      expect(voice.commandsNamed('testSpeaker')[0].args).toEqual(['/sounds/outgoing.wav']);
    });
  });
});
