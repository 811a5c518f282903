import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import type { IncomingCallInfo } from '@switchboard/shared-voice-model';
import { BehaviorSubject, Subject, VirtualTimeScheduler } from 'rxjs';
import { FakeDesktopNotifications, FakeDocumentTitle, voiceRootState, type VoiceRootState } from '../../testing';
import { CallCommandEvents, CallSdkEvents } from '../call/call-sdk.actions';
import { callFeature } from '../call/call.feature';
import { SessionEvents } from '../session.actions';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { storeOf } from '../testing-support/spec-helpers';
import { DesktopNotificationEvents, DesktopNotificationSettingsActions } from './ringing-alerts.actions';
import {
  askNotificationPermission,
  callerText,
  flashTitleWhileRinging,
  notifyCallRingingWhileHidden,
  readNotificationPermission,
  TITLE_FLASH_PERIOD_MS,
} from './ringing-alerts.effects';

const incoming = (callId: string, from: string): Action =>
  CallSdkEvents.incomingReceived({
    call: { callId, callSid: `CA-${callId}`, from, to: 'client:alice', customParameters: {}, isCallerVerified: null } satisfies IncomingCallInfo,
    at: 1,
  });

/** Actions and the call slice as NgRx runs them: the reducer first, then the effects see the action. */
function softphone() {
  let root: VoiceRootState = voiceRootState();
  const state$ = new BehaviorSubject(root);
  const actionSource = new Subject<Action>();
  const emitted: Action[] = [];
  return {
    actions$: new Actions(actionSource),
    store: storeOf(state$),
    emitted,
    dispatch(action: Action): void {
      root = { ...root, call: callFeature.reducer(root.call, action) };
      state$.next(root);
      actionSource.next(action);
    },
  };
}

describe('desktop notification of a call ringing in a hidden tab', () => {
  function setUp() {
    const phone = softphone();
    const notifications = new FakeDesktopNotifications('granted');
    const title = new FakeDocumentTitle();
    const subscription = notifyCallRingingWhileHidden(phone.actions$, phone.store, notifications, title).subscribe((a) => phone.emitted.push(a));
    return { ...phone, notifications, title, subscription };
  }

  it('shows one, tagged by the call with the caller in it, and closes it when the agent answers', () => {
    const { dispatch, notifications, title } = setUp();
    title.setVisibility('hidden');
    dispatch(incoming('c1', '+14155550100'));
    expect(notifications.open.map((n) => n.request)).toEqual([
      { title: 'Incoming call from +14155550100', body: 'Incoming call from +14155550100. Open Switchboard to answer.', tag: 'switchboard-incoming-CA-c1' },
    ]);
    dispatch(SoftphonePanelActions.answerClicked({ callId: 'c1' }));
    expect(notifications.shown).toHaveLength(1);
    expect(notifications.open).toHaveLength(0);
  });

  it('closes it when the caller gives up, and when the agent declines or ignores', () => {
    const { dispatch, notifications, title } = setUp();
    title.setVisibility('hidden');
    dispatch(incoming('c1', 'client:bob'));
    dispatch(incoming('c2', 'client:carol'));
    dispatch(incoming('c3', 'client:dave'));
    expect(notifications.open.map((n) => n.request.title)).toEqual(['Incoming call from bob', 'Incoming call from carol', 'Incoming call from dave']);
    dispatch(CallSdkEvents.cancelled({ callId: 'c1', at: 2 }));
    expect(notifications.open.map((n) => n.request.title)).toEqual(['Incoming call from carol', 'Incoming call from dave']);
    dispatch(CallSdkEvents.rejected({ callId: 'c2', at: 3 }));
    dispatch(CallCommandEvents.ignored({ callId: 'c3', at: 3 }));
    expect(notifications.open).toHaveLength(0);
  });

  it('shows none while the agent can see the tab; one if the tab is hidden while it still rings, never a second', () => {
    const { dispatch, notifications, title } = setUp();
    dispatch(incoming('c1', 'client:bob'));
    expect(notifications.shown).toHaveLength(0);
    title.setVisibility('hidden');
    expect(notifications.open).toHaveLength(1);
    title.setVisibility('visible');
    title.setVisibility('hidden');
    expect(notifications.shown).toHaveLength(1);
    dispatch(CallSdkEvents.cancelled({ callId: 'c1', at: 2 }));
    title.setVisibility('visible');
    title.setVisibility('hidden');
    expect(notifications.shown).toHaveLength(1);
  });

  it('shows none without permission, and says which call was clicked', () => {
    const { dispatch, notifications, title, emitted } = setUp();
    title.setVisibility('hidden');
    notifications.current = 'denied';
    dispatch(incoming('c1', 'client:bob'));
    expect(notifications.shown).toHaveLength(0);
    notifications.current = 'granted';
    dispatch(incoming('c2', 'client:carol'));
    notifications.open[0].click();
    expect(emitted).toEqual([DesktopNotificationEvents.clicked({ callId: 'c2' })]);
  });
});

describe('tab title while a call rings in a hidden tab', () => {
  function setUp() {
    const phone = softphone();
    const title = new FakeDocumentTitle('Switchboard — alice');
    const scheduler = new VirtualTimeScheduler();
    flashTitleWhileRinging(phone.store, title, TITLE_FLASH_PERIOD_MS, scheduler).subscribe();
    /** Runs virtual time up to `ms` from the start. */
    const runUntil = (ms: number) => {
      scheduler.maxFrames = ms;
      scheduler.flush();
    };
    return { ...phone, title, runUntil };
  }

  it('alternates "Incoming call — <caller>" with the page title until answered, then restores the title', () => {
    const { dispatch, title, runUntil } = setUp();
    title.setVisibility('hidden');
    dispatch(incoming('c1', 'client:bob'));
    runUntil(2 * TITLE_FLASH_PERIOD_MS);
    expect(title.written).toEqual(['Incoming call — bob', 'Switchboard — alice', 'Incoming call — bob']);
    dispatch(SoftphonePanelActions.answerClicked({ callId: 'c1' }));
    expect(title.title).toBe('Switchboard — alice');
    runUntil(6 * TITLE_FLASH_PERIOD_MS);
    expect(title.written).toHaveLength(4);
  });

  it('stops and restores the title as soon as the tab is visible; does not flash in a visible tab', () => {
    const { dispatch, title, runUntil } = setUp();
    dispatch(incoming('c1', 'client:bob'));
    runUntil(3 * TITLE_FLASH_PERIOD_MS);
    expect(title.written).toEqual([]);
    title.setVisibility('hidden');
    expect(title.title).toBe('Incoming call — bob');
    title.setVisibility('visible');
    expect(title.title).toBe('Switchboard — alice');
    runUntil(9 * TITLE_FLASH_PERIOD_MS);
    expect(title.written).toEqual(['Incoming call — bob', 'Switchboard — alice']);
  });

  it('stops when the caller gives up', () => {
    const { dispatch, title } = setUp();
    title.setVisibility('hidden');
    dispatch(incoming('c1', '+14155550100'));
    expect(title.title).toBe('Incoming call — +14155550100');
    dispatch(CallSdkEvents.cancelled({ callId: 'c1', at: 2 }));
    expect(title.title).toBe('Switchboard — alice');
  });
});

describe('desktop notification permission', () => {
  it('is read at sign-in and followed in the browser; never asked then', () => {
    const phone = softphone();
    const notifications = new FakeDesktopNotifications('not-asked');
    const seen: Action[] = [];
    readNotificationPermission(phone.actions$, notifications).subscribe((a) => seen.push(a));
    phone.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    notifications.permissionChanges$.next('denied');
    phone.dispatch(SessionEvents.signedOut());
    notifications.permissionChanges$.next('granted');
    expect(seen).toEqual([
      DesktopNotificationEvents.permissionRead({ permission: 'not-asked' }),
      DesktopNotificationEvents.permissionRead({ permission: 'denied' }),
    ]);
    expect(notifications.requestCount).toBe(0);
  });

  it('is asked from the Settings button, once while the prompt is open, and the answer recorded', () => {
    const phone = softphone();
    const answer = new Subject<'granted' | 'denied'>();
    const notifications = new FakeDesktopNotifications('not-asked', () => answer);
    const seen: Action[] = [];
    askNotificationPermission(phone.actions$, notifications).subscribe((a) => seen.push(a));
    phone.dispatch(DesktopNotificationSettingsActions.enableClicked());
    phone.dispatch(DesktopNotificationSettingsActions.enableClicked());
    answer.next('denied');
    expect(notifications.requestCount).toBe(1);
    expect(seen).toEqual([DesktopNotificationEvents.permissionAnswered({ permission: 'denied' })]);
  });

  it('says "unsupported" where the browser has no notifications', () => {
    const phone = softphone();
    const seen: Action[] = [];
    readNotificationPermission(phone.actions$, null).subscribe((a) => seen.push(a));
    askNotificationPermission(phone.actions$, null).subscribe((a) => seen.push(a));
    phone.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    phone.dispatch(DesktopNotificationSettingsActions.enableClicked());
    expect(seen).toEqual([
      DesktopNotificationEvents.permissionRead({ permission: 'unsupported' }),
      DesktopNotificationEvents.permissionAnswered({ permission: 'unsupported' }),
    ]);
  });
});

describe('callerText', () => {
  it('names a colleague by identity and gives a number as it came', () => {
    expect(callerText('client:bob')).toBe('bob');
    expect(callerText('+14155550100')).toBe('+14155550100');
    expect(callerText('anonymous')).toBe('anonymous');
    expect(callerText('')).toBe('an unknown caller');
  });
});
