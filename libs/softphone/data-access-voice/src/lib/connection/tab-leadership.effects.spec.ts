import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { of } from 'rxjs';
import { FakeTabLeadership, FakeVoicePort, type VoiceRootState } from '../../testing';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { newScheduler, registeredState as registered, storeOf } from '../testing-support/spec-helpers';
import { TabLeadershipEvents } from './tab-leadership.actions';
import { electPhoneTab, releaseDeviceInStandby, takeOverPhone } from './tab-leadership.effects';

const agent = { identity: 'alice', displayName: 'Alice' };

describe('one phone per browser (tab leadership)', () => {
  it('joins the election on sign-in and reports each change of role; sign-out leaves it', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const roles = hot<'leader' | 'follower'>('-l-f-f-l--f', { l: 'leader', f: 'follower' });
      const leadership = { role$: roles, takeOver: () => undefined };
      const actions$ = new Actions(hot<Action>('s-------o', { s: SessionEvents.signedIn({ agent }), o: SessionEvents.signedOut() }));
      expectObservable(electPhoneTab(actions$, leadership)).toBe('-g-L---g', {
        g: TabLeadershipEvents.gained(),
        L: TabLeadershipEvents.lost(),
      });
    });
  });

  it('on sign-in, takes the role an election joined at the Sign in click already decided (replayed at once)', () => {
    newScheduler().run(({ hot, cold, expectObservable }) => {
      // A role$ that replays: the first role arrives the moment the effect subscribes.
      const leadership = { role$: cold<'leader' | 'follower'>('l', { l: 'leader' }), takeOver: () => undefined };
      const actions$ = new Actions(hot<Action>('--s', { s: SessionEvents.signedIn({ agent }) }));
      expectObservable(electPhoneTab(actions$, leadership)).toBe('--g', { g: TabLeadershipEvents.gained() });
    });
  });

  it('lets the Device go in standby, but only after the call in progress ends', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const state$ = hot<VoiceRootState>('a--b', {
        a: registered({ call: { calls: { c1: { callId: 'c1', phase: 'open', direction: 'outgoing' } as never }, order: ['c1'] } }),
        b: registered(),
      });
      const actions$ = new Actions(hot<Action>('-l', { l: TabLeadershipEvents.lost() }));
      expectObservable(releaseDeviceInStandby(actions$, storeOf(state$), voice)).toBe('---t', { t: false });
      flush();
      expect(voice.commandsNamed('destroy')).toHaveLength(1);
    });
  });

  it('keeps the Device when the phone comes back before the call ends', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const onCall = registered({ call: { calls: { c1: { callId: 'c1', phase: 'open', direction: 'outgoing' } as never }, order: ['c1'] } });
      const state$ = hot<VoiceRootState>('a---b', { a: onCall, b: registered() });
      const actions$ = new Actions(hot<Action>('-l-g', { l: TabLeadershipEvents.lost(), g: TabLeadershipEvents.gained() }));
      expectObservable(releaseDeviceInStandby(actions$, storeOf(state$), voice)).toBe('');
      flush();
      expect(voice.commandsNamed('destroy')).toEqual([]);
    });
  });

  it('"Use this tab" asks the election for the phone', () => {
    const leadership = new FakeTabLeadership('follower');
    const subscription = takeOverPhone(new Actions(of(SoftphonePanelActions.useThisTabClicked())), leadership).subscribe();
    subscription.unsubscribe();
    expect(leadership.takeOvers).toBe(1);
  });
});
