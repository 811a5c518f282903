import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { describeAppError } from '@switchboard/shared-voice-model';
import { BehaviorSubject, NEVER } from 'rxjs';
import { FakePageLifecycle, FakeVoicePort, type VoiceRootState } from '../../testing';
import type { PageLifecycleEvent } from '../ports/page-lifecycle';
import { clockOf, newScheduler, registeredState as registered, specConfig, storeOf } from '../testing-support/spec-helpers';
import { PageCheckEvents } from './page-checks.actions';
import { LONG_HIDDEN_MS, checkRegistrationOnPageEvents, runRegistrationCheck } from './page-checks.effects';


describe('page lifecycle checks', () => {
  it('checks the registration after resume, bfcache restore, online, and a long hidden spell; not after a short tab switch', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const lifecycle = new FakePageLifecycle(
        hot<PageLifecycleEvent>('-h-v-f-R-p-o', { h: 'hidden', v: 'visible', f: 'freeze', R: 'resume', p: 'pageshow-persisted', o: 'online' }),
      );
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      expectObservable(checkRegistrationOnPageEvents(lifecycle, storeOf(state$), clockOf(() => 0))).toBe('-------R-p-o', {
        R: PageCheckEvents.requested({ reason: 'resume' }),
        p: PageCheckEvents.requested({ reason: 'pageshow-persisted' }),
        o: PageCheckEvents.requested({ reason: 'online' }),
      });
    });
  });

  it('visible after a long time hidden is checked', () => {
    let now = 0;
    const lifecycle = new FakePageLifecycle();
    const out: Action[] = [];
    checkRegistrationOnPageEvents(lifecycle, storeOf(new BehaviorSubject(registered())), clockOf(() => now)).subscribe((a) => out.push(a));
    lifecycle.fire('hidden');
    now = LONG_HIDDEN_MS - 1;
    lifecycle.fire('visible');
    expect(out).toEqual([]);
    lifecycle.fire('hidden');
    now += LONG_HIDDEN_MS;
    lifecycle.fire('visible');
    expect(out).toEqual([PageCheckEvents.requested({ reason: 'visible' })]);
  });

  it('a check re-registers through the port; a destroyed Device restarts the connection instead', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      const actions$ = new Actions(hot<Action>('c', { c: PageCheckEvents.requested({ reason: 'resume' }) }));
      expectObservable(runRegistrationCheck(actions$, storeOf(state$), voice, specConfig())).toBe('');
      flush();
      expect(voice.commandNames).toEqual(['refreshRegistration']);
    });
    newScheduler().run(({ hot, expectObservable }) => {
      const state$ = hot<VoiceRootState>('g', { g: registered({ connection: { phase: 'destroyed' } }) });
      const actions$ = new Actions(hot<Action>('c', { c: PageCheckEvents.requested({ reason: 'pageshow-persisted' }) }));
      expectObservable(runRegistrationCheck(actions$, storeOf(state$), new FakeVoicePort(), specConfig())).toBe('r', { r: PageCheckEvents.reconnectNeeded() });
    });
  });

  it('a check that never settles is reported as failed (watchdog)', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const voice = new FakeVoicePort({ refreshRegistration: () => NEVER });
      const state$ = hot<VoiceRootState>('g', { g: registered() });
      const actions$ = new Actions(hot<Action>('c', { c: PageCheckEvents.requested({ reason: 'online' }) }));
      expectObservable(runRegistrationCheck(actions$, storeOf(state$), voice, specConfig({ registrationTimeoutMs: 30 }))).toBe('30ms f', {
        f: PageCheckEvents.failed({ error: describeAppError('RegistrationTimeout') }),
      });
    });
  });
});
