import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import type { VoiceTokenResponse } from '@switchboard/shared-contracts';
import { describeAppError, describeVoiceError, type DeviceEvent } from '@switchboard/shared-voice-model';
import { NEVER, of, throwError } from 'rxjs';
import { FakeVoicePort, FakeVoiceTokenSource, fakeVoiceToken, voiceRootState, type VoiceRootState } from '../../testing';
import { SessionEvents } from '../session.actions';
import { SoftphoneSettingsActions } from '../softphone-panel.actions';
import { clockOf, newScheduler, registeredState as registered, specConfig, specToken as token, storeOf } from '../testing-support/spec-helpers';
import { DeviceSdkEvents } from './device-sdk.actions';
import { PageCheckEvents } from './page-checks.actions';
import { applyLogLevel, connectOnDemand, deviceEventsToActions, destroyDeviceOnSignOut, retryWithBackoff } from './registration.effects';
import { VoiceRegistrationEvents } from './registration.actions';
import { TabLeadershipEvents } from './tab-leadership.actions';
import { VoiceTokenApiEvents } from './voice-token-api.actions';


describe('deviceEventsToActions', () => {
  it('turns SDK device events into connection actions, in order', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const voice = new FakeVoicePort({
        deviceEvents$: hot<DeviceEvent>('-r-R--e', {
          r: { kind: 'registering' },
          R: { kind: 'registered', edge: 'dublin' },
          e: { kind: 'error', code: 20104, message: 'AccessTokenExpired' },
        }),
      });
      expectObservable(deviceEventsToActions(voice, clockOf(() => 42))).toBe('-r-R--e', {
        r: DeviceSdkEvents.registering(),
        R: DeviceSdkEvents.registered({ edge: 'dublin' }),
        e: DeviceSdkEvents.failed({ error: describeVoiceError(20104, 'AccessTokenExpired'), at: 42 }),
      });
    });
  });
});

describe('connectOnDemand', () => {
  it('asks nothing of the Device until the microphone question is answered (permission before Device)', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const tokens = new FakeVoiceTokenSource();
      const state$ = hot<VoiceRootState>('p---g', {
        p: voiceRootState({ audioDevices: { permission: 'prompting' } }),
        g: voiceRootState({ audioDevices: { permission: 'granted' } }),
      });
      const actions$ = new Actions(hot<Action>('-s', { s: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('----i', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
      flush();
      expect(voice.commandsNamed('register')).toEqual([{ method: 'register', args: [token.token] }]);
      expect(tokens.issued).toBe(1);
    });
  });

  it('fetches the token while the microphone question is open, and registers once both are in', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      // The token takes 3 frames from the start (frame 1), the microphone is answered at frame 3:
      // one after the other the token would arrive at frame 6; side by side it is in at frame 4.
      const tokens = new FakeVoiceTokenSource([cold('---t|', { t: token })]);
      const state$ = hot<VoiceRootState>('p--g', {
        p: voiceRootState({ audioDevices: { permission: 'prompting' } }),
        g: voiceRootState({ audioDevices: { permission: 'granted' } }),
      });
      const actions$ = new Actions(hot<Action>('-s', { s: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('----i', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
      flush();
      expect(tokens.issued).toBe(1);
      expect(voice.commandsNamed('register')).toEqual([{ method: 'register', args: [token.token] }]);
    });
  });

  it('sign-in starts the token request before the election; the first connect takes that answer', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      // Asked at sign-in (frame 0), answered at frame 3; the tab wins the election at frame 2.
      const tokens = new FakeVoiceTokenSource([cold('---t|', { t: token })]);
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(hot<Action>('s-g', { s: SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }), g: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('---i', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
      flush();
      expect(tokens.issued).toBe(1);
      expect(voice.commandsNamed('register')).toEqual([{ method: 'register', args: [token.token] }]);
    });
  });

  it('a tab that loses the election drops the sign-in token; gaining the phone later asks afresh', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const stale = fakeVoiceToken({ token: 'stale' });
      const fresh = fakeVoiceToken({ token: 'fresh' });
      const tokens = new FakeVoiceTokenSource([of(stale), of(fresh)]);
      const voice = new FakeVoicePort();
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(
        hot<Action>('sl-g', { s: SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }), l: TabLeadershipEvents.lost(), g: TabLeadershipEvents.gained() }),
      );
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('---i', {
        i: VoiceTokenApiEvents.issued({ identity: fresh.identity, expiresAt: fresh.expiresAt }),
      });
      flush();
      expect(voice.commandsNamed('register')[0].args).toEqual(['fresh']);
    });
  });

  it("the sign-in answer's token serves the first connect: the token API is not called", () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const carried = fakeVoiceToken({ token: 'carried' });
      const tokens = new SignInCarryingTokenSource(carried);
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(hot<Action>('s-g', { s: SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }), g: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('--i', {
        i: VoiceTokenApiEvents.issued({ identity: carried.identity, expiresAt: carried.expiresAt }),
      });
      flush();
      expect(tokens.issued).toBe(0);
      expect(voice.commandsNamed('register')).toEqual([{ method: 'register', args: ['carried'] }]);
    });
  });

  it('a sign-in answer without a token (older API) falls back to asking the token API at sign-in', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const fetched = fakeVoiceToken({ token: 'fetched' });
      const tokens = new SignInCarryingTokenSource(null, [of(fetched)]);
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(hot<Action>('s-g', { s: SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }), g: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('--i', {
        i: VoiceTokenApiEvents.issued({ identity: fetched.identity, expiresAt: fetched.expiresAt }),
      });
      flush();
      expect(tokens.taken).toBe(1);
      expect(tokens.issued).toBe(1);
      expect(voice.commandsNamed('register')).toEqual([{ method: 'register', args: ['fetched'] }]);
    });
  });

  it("a tab that loses the election drops the sign-in answer's token; gaining the phone later asks afresh", () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const fresh = fakeVoiceToken({ token: 'fresh' });
      const tokens = new SignInCarryingTokenSource(fakeVoiceToken({ token: 'carried' }), [of(fresh)]);
      const voice = new FakeVoicePort();
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(
        hot<Action>('sl-g', { s: SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }), l: TabLeadershipEvents.lost(), g: TabLeadershipEvents.gained() }),
      );
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('---i', {
        i: VoiceTokenApiEvents.issued({ identity: fresh.identity, expiresAt: fresh.expiresAt }),
      });
      flush();
      expect(tokens.issued).toBe(1);
      expect(voice.commandsNamed('register')).toEqual([{ method: 'register', args: ['fresh'] }]);
    });
  });

  it('a token refused while the microphone question is open becomes state, and no Device is made', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const tokens = new FakeVoiceTokenSource([throwError(() => new Error('503'))]);
      const state$ = hot<VoiceRootState>('p', { p: voiceRootState({ audioDevices: { permission: 'prompting' } }) });
      const actions$ = new Actions(hot<Action>('-s', { s: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('-f', {
        f: VoiceTokenApiEvents.issueFailed({ error: describeAppError('TokenFetchFailed') }),
      });
      flush();
      expect(voice.commandNames).toEqual([]);
    });
  });

  it('still registers (for incoming calls) when the microphone is denied', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const voice = new FakeVoicePort();
      const state$ = hot<VoiceRootState>('d', { d: voiceRootState({ audioDevices: { permission: 'denied' } }) });
      const actions$ = new Actions(hot<Action>('-s', { s: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, new FakeVoiceTokenSource(), specConfig())).toBe('-i', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
    });
  });

  it('watchdog: a register() that never settles fails after the deadline and the Device is destroyed', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort({ register: () => NEVER });
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(hot<Action>('s', { s: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, new FakeVoiceTokenSource(), specConfig({ registrationTimeoutMs: 50 }))).toBe('i 49ms t', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
        t: VoiceRegistrationEvents.timedOut({ error: describeAppError('RegistrationTimeout') }),
      });
      flush();
      expect(voice.commandNames).toEqual(['register', 'destroy']);
    });
  });

  it('watchdog during a call: the registration times out but the Device (and so the call) is kept', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort({ register: () => NEVER });
      const onCall = voiceRootState({ audioDevices: { permission: 'granted' }, call: { calls: { c1: { phase: 'open' } as never }, order: ['c1'] } });
      const state$ = hot<VoiceRootState>('g', { g: onCall });
      const actions$ = new Actions(hot<Action>('s', { s: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, new FakeVoiceTokenSource(), specConfig({ registrationTimeoutMs: 50 }))).toBe('i 49ms t', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
        t: VoiceRegistrationEvents.timedOut({ error: describeAppError('RegistrationTimeout') }),
      });
      flush();
      expect(voice.commandNames).toEqual(['register']);
    });
  });

  it('a refused token (20104) fetches a fresh one and registers with it', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const fresh = fakeVoiceToken({ token: 'fresh' });
      const voice = new FakeVoicePort();
      const tokens = new FakeVoiceTokenSource([of(fresh)]);
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      const actions$ = new Actions(
        hot<Action>('-a-e', {
          a: DeviceSdkEvents.failed({ error: describeVoiceError(31005), at: 1 }),
          e: DeviceSdkEvents.failed({ error: describeVoiceError(20104), at: 2 }),
        }),
      );
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, tokens, specConfig())).toBe('---i', {
        i: VoiceTokenApiEvents.issued({ identity: fresh.identity, expiresAt: fresh.expiresAt }),
      });
      flush();
      expect(voice.commandsNamed('register')[0].args).toEqual(['fresh']);
    });
  });

  it('a failed token request becomes state, and the effect keeps working', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const tokens = new FakeVoiceTokenSource([throwError(() => new Error('503'))]);
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(hot<Action>('-s-r', { s: TabLeadershipEvents.gained(), r: VoiceRegistrationEvents.retryDue() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), new FakeVoicePort(), tokens, specConfig())).toBe('-f-i', {
        f: VoiceTokenApiEvents.issueFailed({ error: describeAppError('TokenFetchFailed') }),
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
    });
  });

  it('sign-out cancels a registration in flight', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const voice = new FakeVoicePort({ register: () => NEVER });
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(hot<Action>('s-o', { s: TabLeadershipEvents.gained(), o: SessionEvents.signedOut() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, new FakeVoiceTokenSource(), specConfig({ registrationTimeoutMs: 10 }))).toBe('i', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
    });
  });

  it('a page check that found the Device gone connects again, like a due retry', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ connection: { phase: 'fetching-token', identity: 'alice' }, audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(hot<Action>('-n', { n: PageCheckEvents.reconnectNeeded() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), new FakeVoicePort(), new FakeVoiceTokenSource(), specConfig())).toBe('-i', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
    });
  });
});

describe('registration while another tab has the phone', () => {
  it('connects when this tab gets the phone, and not on a retry while another tab has it', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('a-b', {
        a: voiceRootState({ connection: { phase: 'standby', identity: 'alice' }, audioDevices: { permission: 'granted' } }),
        b: voiceRootState({ connection: { phase: 'fetching-token', identity: 'alice' }, audioDevices: { permission: 'granted' } }),
      });
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('-rg', { r: VoiceRegistrationEvents.retryDue(), g: TabLeadershipEvents.gained() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, new FakeVoiceTokenSource(), specConfig())).toBe('--i', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
    });
  });

  it('losing the phone cancels a registration in flight', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const registrations: string[] = [];
      const voice = new FakeVoicePort({ register: (t: string) => { registrations.push(t); return NEVER; } });
      const state$ = hot<VoiceRootState>('g', { g: voiceRootState({ audioDevices: { permission: 'granted' } }) });
      const actions$ = new Actions(hot<Action>('g-l', { g: TabLeadershipEvents.gained(), l: TabLeadershipEvents.lost() }));
      expectObservable(connectOnDemand(actions$, storeOf(state$), voice, new FakeVoiceTokenSource(), specConfig({ registrationTimeoutMs: 10 }))).toBe('i', {
        i: VoiceTokenApiEvents.issued({ identity: token.identity, expiresAt: token.expiresAt }),
      });
      flush();
      expect(registrations).toHaveLength(1);
    });
  });

  it('schedules no retry in standby', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('a', { a: voiceRootState({ connection: { phase: 'standby', identity: 'alice' } }) });
      const actions$ = new Actions(hot<Action>('-u', { u: DeviceSdkEvents.unregistered() }));
      expectObservable(retryWithBackoff(actions$, storeOf(state$), specConfig())).toBe('');
    });
  });
});

describe('retryWithBackoff', () => {
  it('schedules retries with growing delays and fires Retry Due when each elapses', () => {
    newScheduler().run(({ hot, cold, expectObservable }) => {
      const state$ = hot<VoiceRootState>('a 2s b', {
        a: voiceRootState({ connection: { phase: 'unregistered', identity: 'alice' } }),
        b: voiceRootState({ connection: { phase: 'unregistered', identity: 'alice', retry: { attempt: 1, delayMs: 1000 } } }),
      });
      const error = describeAppError('RegistrationTimeout');
      const actions$ = new Actions(hot<Action>('f 2s g', { f: VoiceRegistrationEvents.timedOut({ error }), g: VoiceRegistrationEvents.timedOut({ error }) }));
      void cold;
      expectObservable(retryWithBackoff(actions$, storeOf(state$), specConfig())).toBe('s 999ms d 1000ms S 1999ms D', {
        s: VoiceRegistrationEvents.retryScheduled({ attempt: 1, delayMs: 1000 }),
        d: VoiceRegistrationEvents.retryDue(),
        S: VoiceRegistrationEvents.retryScheduled({ attempt: 2, delayMs: 2000 }),
        D: VoiceRegistrationEvents.retryDue(),
      });
    });
  });

  it('a registration that heals on its own cancels the pending retry', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('a', { a: voiceRootState({ connection: { phase: 'unregistered', identity: 'alice' } }) });
      const actions$ = new Actions(hot<Action>('u 500ms r', { u: DeviceSdkEvents.unregistered(), r: DeviceSdkEvents.registered({ edge: null }) }));
      expectObservable(retryWithBackoff(actions$, storeOf(state$), specConfig())).toBe('s', {
        s: VoiceRegistrationEvents.retryScheduled({ attempt: 1, delayMs: 1000 }),
      });
    });
  });

  it('does not retry what needs a human (configuration errors)', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('a', { a: voiceRootState({ connection: { phase: 'error', identity: 'alice' } }) });
      const actions$ = new Actions(hot<Action>('f', { f: VoiceRegistrationEvents.failed({ error: describeVoiceError(31201) }) }));
      expectObservable(retryWithBackoff(actions$, storeOf(state$), specConfig())).toBe('');
    });
  });

  it('a failed page check is retried like a failed registration', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('a', { a: voiceRootState({ connection: { phase: 'error', identity: 'alice' } }) });
      const actions$ = new Actions(hot<Action>('f', { f: PageCheckEvents.failed({ error: describeAppError('RegistrationTimeout') }) }));
      expectObservable(retryWithBackoff(actions$, storeOf(state$), specConfig())).toBe('s 999ms d', {
        s: VoiceRegistrationEvents.retryScheduled({ attempt: 1, delayMs: 1000 }),
        d: VoiceRegistrationEvents.retryDue(),
      });
    });
  });
});

describe('commands that must not kill their effect', () => {
  it('sign-out destroys the Device even if the SDK throws', () => {
    const voice = new FakeVoicePort({ throwOn: ['destroy'] });
    newScheduler().run(({ hot, expectObservable }) => {
      const actions$ = new Actions(hot<Action>('o-o', { o: SessionEvents.signedOut() }));
      expectObservable(destroyDeviceOnSignOut(actions$, voice)).toBe('o-o', { o: SessionEvents.signedOut() });
    });
    expect(voice.commandsNamed('destroy')).toHaveLength(2);
  });

  it('the log level changes at run time through the port', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('l', { l: SoftphoneSettingsActions.logLevelChanged({ level: 'debug' }) }));
      expectObservable(applyLogLevel(actions$, voice)).toBe('a', { a: VoiceRegistrationEvents.logLevelApplied({ level: 'debug' }) });
      flush();
      expect(voice.commandsNamed('setLogLevel')[0].args).toEqual(['debug']);
    });
  });

});

/** A token source whose sign-in answer carried `carried` (or none): handed over once, as HttpVoiceTokenSource does. */
class SignInCarryingTokenSource extends FakeVoiceTokenSource {
  taken = 0;

  constructor(private carried: VoiceTokenResponse | null, responses: ConstructorParameters<typeof FakeVoiceTokenSource>[0] = []) {
    super(responses);
  }

  takeSignInToken(): VoiceTokenResponse | null {
    this.taken += 1;
    const carried = this.carried;
    this.carried = null;
    return carried;
  }
}
