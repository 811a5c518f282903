import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { describeAppError } from '@switchboard/shared-voice-model';
import { BehaviorSubject, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { FakeVoicePort, InMemoryDevicePreferences, voiceRootState, type VoiceRootState } from '../../testing';
import { NO_DEVICE_PREFERENCES } from '../ports/device-preferences-storage';
import type { CallEntry } from '../call/call.feature';
import { SessionEvents } from '../session.actions';
import { selectSettingsViewModel } from '../softphone.selectors';
import { SoftphoneSettingsActions } from '../softphone-panel.actions';
import { play, storeOf } from '../testing-support/spec-helpers';
import { EdgeCommandEvents } from './edge.actions';
import { applyDeferredEdgeWhenIdle, applyEdgePreference, persistEdgePreference, restoreEdgePreference } from './edge.effects';
import { edgeFeature, initialEdgeState } from './edge.feature';

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const reducer = edgeFeature.reducer;
const selected = (preference: Parameters<typeof SoftphoneSettingsActions.edgePreferenceSelected>[0]['preference']) =>
  SoftphoneSettingsActions.edgePreferenceSelected({ preference });
const signedIn = SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } });

/** Root state with one call in `phase` (only the phase matters to the edge effects). */
function withCall(phase: CallEntry['phase'] | null): VoiceRootState {
  if (phase === null) return voiceRootState();
  const entry = { callId: 'call-1', phase } as CallEntry;
  return voiceRootState({ call: { calls: { 'call-1': entry }, order: ['call-1'] } });
}

describe('edge slice as event paths', () => {
  it('starts on the server configuration, already in effect', () => {
    expect(reducer(undefined, { type: '@@init' })).toEqual({ preference: 'configured', status: 'applied', error: null });
  });

  it('chosen → applying → applied', () => {
    expect(play(reducer, selected('dublin'))).toMatchObject({ preference: 'dublin', status: 'applying' });
    expect(play(reducer, selected('dublin'), EdgeCommandEvents.applied({ preference: 'dublin' }))).toMatchObject({ preference: 'dublin', status: 'applied' });
  });

  it('chosen during a call → pending until the call ends → applied', () => {
    const pending = play(reducer, selected('tokyo'), EdgeCommandEvents.applyDeferred());
    expect(pending).toMatchObject({ preference: 'tokyo', status: 'pending-call' });
    expect(reducer(pending, EdgeCommandEvents.applied({ preference: 'tokyo' })).status).toBe('applied');
  });

  it('a failure is kept with its guidance; a new choice clears it', () => {
    const error = describeAppError('EdgeChangeFailed');
    const failed = play(reducer, selected('sydney'), EdgeCommandEvents.applyFailed({ preference: 'sydney', error }));
    expect(failed).toMatchObject({ status: 'failed', error });
    expect(reducer(failed, selected('roaming'))).toMatchObject({ preference: 'roaming', status: 'applying', error: null });
  });

  it('a late answer for an older choice does not mark the newer one', () => {
    const state = play(reducer, selected('dublin'), selected('frankfurt'), EdgeCommandEvents.applied({ preference: 'dublin' }));
    expect(state).toMatchObject({ preference: 'frankfurt', status: 'applying' });
    const failedLate = reducer(state, EdgeCommandEvents.applyFailed({ preference: 'dublin', error: describeAppError('EdgeChangeFailed') }));
    expect(failedLate).toBe(state);
  });

  it('the settings view model shows the choice and its status', () => {
    const vm = selectSettingsViewModel(voiceRootState({ edge: { preference: 'umatilla', status: 'pending-call' } }));
    expect(vm).toMatchObject({ edgePreference: 'umatilla', edgeStatus: 'pending-call', edgeError: null });
    expect(initialEdgeState.preference).toBe('configured');
  });
});

describe('edge effects', () => {
  it('restores the saved choice at sign-in', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const storage = new InMemoryDevicePreferences(NO_DEVICE_PREFERENCES, 'singapore');
      const actions$ = new Actions(hot<Action>('-s', { s: signedIn }));
      expectObservable(restoreEdgePreference(actions$, storage)).toBe('-r', { r: EdgeCommandEvents.preferenceRestored({ preference: 'singapore' }) });
    });
  });

  it('persists what the agent chose', () => {
    const storage = new InMemoryDevicePreferences();
    newScheduler().run(({ hot, expectObservable }) => {
      const actions$ = new Actions(hot<Action>('-a-b', { a: selected('dublin'), b: selected('roaming') }));
      expectObservable(persistEdgePreference(actions$, storage)).toBe('-a-b', { a: selected('dublin'), b: selected('roaming') });
    });
    expect(storage.savedEdges).toEqual(['dublin', 'roaming']);
    expect(storage.loadEdgePreference()).toBe('roaming');
  });

  it('applies through the port at once when no call is live', () => {
    const voice = new FakeVoicePort();
    newScheduler().run(({ hot, cold, expectObservable }) => {
      const slow = new FakeVoicePort({ setEdge: () => cold('--|') });
      const actions$ = new Actions(hot<Action>('-a', { a: selected('frankfurt') }));
      expectObservable(applyEdgePreference(actions$, storeOf(new BehaviorSubject(withCall(null))), slow)).toBe('---d', {
        d: EdgeCommandEvents.applied({ preference: 'frankfurt' }),
      });
      expectObservable(applyEdgePreference(new Actions(hot<Action>('-r', { r: EdgeCommandEvents.preferenceRestored({ preference: 'tokyo' }) })), storeOf(new BehaviorSubject(withCall('closed'))), voice)).toBe('-d', {
        d: EdgeCommandEvents.applied({ preference: 'tokyo' }),
      });
    });
    expect(voice.commandsNamed('setEdge').map((c) => c.args)).toEqual([['tokyo']]);
  });

  it('defers while a call is live (ringing counts: a reconnect would lose it) without touching the port', () => {
    for (const phase of ['open', 'pending', 'reconnecting'] as const) {
      const voice = new FakeVoicePort();
      newScheduler().run(({ hot, expectObservable }) => {
        const actions$ = new Actions(hot<Action>('-a', { a: selected('sydney') }));
        expectObservable(applyEdgePreference(actions$, storeOf(new BehaviorSubject(withCall(phase))), voice)).toBe('-p', { p: EdgeCommandEvents.applyDeferred() });
      });
      expect(voice.commandsNamed('setEdge')).toEqual([]);
    }
  });

  it('a port that reports a busy Device defers; any other failure is kept, and the effect lives on', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const failures = [describeAppError('CallInProgress'), new Error('boom')];
      const voice = new FakeVoicePort({ setEdge: () => (failures.length > 0 ? throwError(() => failures.shift()) : of(undefined)) });
      const actions$ = new Actions(hot<Action>('-a-b-c', { a: selected('dublin'), b: selected('tokyo'), c: selected('roaming') }));
      expectObservable(applyEdgePreference(actions$, storeOf(new BehaviorSubject(withCall(null))), voice)).toBe('-a-b-c', {
        a: EdgeCommandEvents.applyDeferred(),
        b: EdgeCommandEvents.applyFailed({ preference: 'tokyo', error: describeAppError('EdgeChangeFailed') }),
        c: EdgeCommandEvents.applied({ preference: 'roaming' }),
      });
    });
  });

  it('applies a pending choice when the last live call ends, and only then', () => {
    const voice = new FakeVoicePort();
    newScheduler().run(({ hot, expectObservable }) => {
      const pending = { edge: { preference: 'ashburn' as const, status: 'pending-call' as const, error: null } };
      const onCall = { ...withCall('open'), ...pending };
      const ended = { ...withCall('closed'), ...pending };
      const state$ = hot<VoiceRootState>('o-e', { o: onCall, e: ended });
      expectObservable(applyDeferredEdgeWhenIdle(storeOf(state$), voice)).toBe('--d', { d: EdgeCommandEvents.applied({ preference: 'ashburn' }) });
    });
    expect(voice.commandsNamed('setEdge').map((c) => c.args)).toEqual([['ashburn']]);
  });

  it('does nothing when a call ends with no pending choice', () => {
    const voice = new FakeVoicePort();
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('o-e', { o: withCall('open'), e: withCall('closed') });
      expectObservable(applyDeferredEdgeWhenIdle(storeOf(state$), voice)).toBe('---');
    });
    expect(voice.commands).toEqual([]);
  });
});
