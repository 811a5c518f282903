import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { describeAppError } from '@switchboard/shared-voice-model';
import { throwError } from 'rxjs';
import { FakeVoicePort, FakeVoiceTokenSource, fakeVoiceToken, type VoiceRootState } from '../../testing';
import { SessionEvents } from '../session.actions';
import { clockOf, newScheduler, registeredState as registered, specConfig, specToken as token, storeOf } from '../testing-support/spec-helpers';
import { DeviceSdkEvents } from './device-sdk.actions';
import { refreshTokenBeforeExpiry, scheduleTokenRefresh } from './token-refresh.effects';
import { TokenRefreshTimerEvents } from './token-refresh.actions';
import { VoiceTokenApiEvents } from './voice-token-api.actions';


describe('refreshTokenBeforeExpiry', () => {
  const now = Date.parse(token.expiresAt) - 10 * 60_000; // ten minutes before expiry

  it('one request in flight: a second warning while fetching is ignored; the Device gets the new token', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const fresh = fakeVoiceToken({ token: 'fresh', expiresAt: '2026-11-24T12:00:00.000Z' });
      const tokens = new FakeVoiceTokenSource([cold('---x|', { x: fresh })]);
      const voice = new FakeVoicePort();
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      const actions$ = new Actions(hot<Action>('w-w', { w: DeviceSdkEvents.tokenWillExpire() }));
      expectObservable(refreshTokenBeforeExpiry(actions$, storeOf(state$), voice, tokens, specConfig(), clockOf(() => now))).toBe('---r', {
        r: VoiceTokenApiEvents.refreshed({ expiresAt: fresh.expiresAt }),
      });
      flush();
      expect(tokens.issued).toBe(1);
      expect(voice.commandsNamed('updateToken')).toEqual([{ method: 'updateToken', args: ['fresh'] }]);
    });
  });

  it('during a live call it waits for the hang-up (no audio glitch), then refreshes', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const onCall = registered({ call: { calls: { c1: { phase: 'open' } as never }, order: ['c1'] } });
      const state$ = hot<VoiceRootState>('c----e', { c: onCall, e: registered() });
      const actions$ = new Actions(hot<Action>('-w', { w: DeviceSdkEvents.tokenWillExpire() }));
      expectObservable(refreshTokenBeforeExpiry(actions$, storeOf(state$), voice, new FakeVoiceTokenSource(), specConfig(), clockOf(() => now))).toBe('-d---r', {
        d: VoiceTokenApiEvents.refreshDeferred(),
        r: VoiceTokenApiEvents.refreshed({ expiresAt: token.expiresAt }),
      });
      flush();
      expect(voice.commandNames).toEqual(['updateToken']);
    });
  });

  it('during a live call it refreshes at once when expiry is near', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const onCall = registered({ call: { calls: { c1: { phase: 'open' } as never }, order: ['c1'] } });
      const state$ = hot<VoiceRootState>('c', { c: onCall });
      const actions$ = new Actions(hot<Action>('-w', { w: DeviceSdkEvents.tokenWillExpire() }));
      const nearExpiry = Date.parse(token.expiresAt) - 20_000;
      expectObservable(refreshTokenBeforeExpiry(actions$, storeOf(state$), new FakeVoicePort(), new FakeVoiceTokenSource(), specConfig(), clockOf(() => nearExpiry))).toBe('-r', {
        r: VoiceTokenApiEvents.refreshed({ expiresAt: token.expiresAt }),
      });
    });
  });

  it('a failed refresh becomes state and a later warning still refreshes', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const tokens = new FakeVoiceTokenSource([throwError(() => new Error('offline'))]);
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      const actions$ = new Actions(hot<Action>('w--w', { w: DeviceSdkEvents.tokenWillExpire() }));
      expectObservable(refreshTokenBeforeExpiry(actions$, storeOf(state$), new FakeVoicePort(), tokens, specConfig(), clockOf(() => now))).toBe('f--r', {
        f: VoiceTokenApiEvents.refreshFailed({ error: describeAppError('TokenFetchFailed') }),
        r: VoiceTokenApiEvents.refreshed({ expiresAt: token.expiresAt }),
      });
    });
  });
});

describe('scheduleTokenRefresh', () => {
  const now = Date.parse(token.expiresAt) - 10 * 60_000;

  it('sets our own timer a little before "near expiry" (twice its lead), and stops it on sign-out', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      const config = specConfig({ tokenNearExpiryMs: 60_000 });
      const actions$ = new Actions(hot<Action>('i', { i: VoiceTokenApiEvents.issued({ identity: 'alice', expiresAt: token.expiresAt }) }));
      // Ten minutes left, a lead of two minutes: due in eight.
      expectObservable(scheduleTokenRefresh(actions$, storeOf(state$), config, clockOf(() => now))).toBe('480000ms d', { d: TokenRefreshTimerEvents.due() });
    });
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      const actions$ = new Actions(hot<Action>('i 1s o', { i: VoiceTokenApiEvents.issued({ identity: 'alice', expiresAt: token.expiresAt }), o: SessionEvents.signedOut() }));
      expectObservable(scheduleTokenRefresh(actions$, storeOf(state$), specConfig(), clockOf(() => now))).toBe('');
    });
  });

  it('a failed refresh is tried again after the first back-off step', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      const actions$ = new Actions(hot<Action>('f', { f: VoiceTokenApiEvents.refreshFailed({ error: describeAppError('TokenFetchFailed') }) }));
      expectObservable(scheduleTokenRefresh(actions$, storeOf(state$), specConfig(), clockOf(() => now))).toBe('1000ms d', { d: TokenRefreshTimerEvents.due() });
    });
  });
});
