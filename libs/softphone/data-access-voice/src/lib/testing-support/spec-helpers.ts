import type { Action, Store } from '@ngrx/store';
import { distinctUntilChanged, map, shareReplay, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { fakeVoiceToken, voiceRootState, type VoiceRootState } from '../../testing';
import { DEFAULT_VOICE_STATE_CONFIG, type VoiceClock, type VoiceStateConfig } from '../voice-state.config';

/** A Store stand-in for functional effects: `select` runs real selectors over a state stream. */
export function storeOf(state$: Observable<VoiceRootState>): Store {
  // Like the real Store, a late subscriber gets the current state at once.
  const latest$ = state$.pipe(shareReplay(1));
  latest$.subscribe();
  const fake = {
    select: <T>(selector: (state: VoiceRootState) => T) => latest$.pipe(map(selector), distinctUntilChanged()),
  };
  return fake as unknown as Store;
}

export const specConfig = (patch: Partial<VoiceStateConfig> = {}): VoiceStateConfig => ({
  ...DEFAULT_VOICE_STATE_CONFIG,
  random: () => 0,
  ...patch,
});

export const clockOf = (now: () => number): VoiceClock => ({ now });

/** Replays actions through a reducer from its initial state. */
export function play<S>(reducer: (state: S | undefined, action: Action) => S, ...actions: Action[]): S {
  return actions.reduce<S>((state, action) => reducer(state, action), reducer(undefined, { type: '@@init' }));
}

/** A marble scheduler that compares with Jest's deep equality. */
export const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** The token every connection spec signs in with. */
export const specToken = fakeVoiceToken();

/** Root state of a registered agent (alice) with microphone permission, with any slice patched. */
export const registeredState = (patch: Parameters<typeof voiceRootState>[0] = {}): VoiceRootState =>
  voiceRootState({
    ...patch,
    connection: { phase: 'registered', identity: 'alice', tokenExpiresAt: specToken.expiresAt, ...patch.connection },
    audioDevices: { permission: 'granted', ...patch.audioDevices },
  });
