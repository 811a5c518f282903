import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import { describeAppError, describeVoiceError, type CallEvent } from '@switchboard/shared-voice-model';
import { TestScheduler } from 'rxjs/testing';
import { of } from 'rxjs';
import { FakeCallControlPort, FakeNumberPolicyCheck, FakePageLifecycle, FakeVoicePort, voiceRootState, type VoiceRootState } from '../../testing';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { clockOf, storeOf } from '../testing-support/spec-helpers';
import { CallCommandEvents, CallSdkEvents } from './call-sdk.actions';
import { answerIncoming, callEventsToActions, confirmLeavingWhileRinging, DTMF_TONE_SLOT_MS, dialOutgoing, hangUp, sendDigits, toggleMute } from './call.effects';
import type { CallEntry } from './call.feature';
import { REJOIN_PARAM, type CheckNumberResponse } from '@switchboard/shared-contracts';
import { isPhoneNumberTarget, numberCheckFailedError, numberRefusedError } from '../ports/number-policy-check';

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const clock = clockOf(() => 1000);
const online = (patch: Parameters<typeof voiceRootState>[0] = {}): VoiceRootState =>
  voiceRootState({ ...patch, connection: { phase: 'registered', ...patch.connection }, audioDevices: { permission: 'granted', ...patch.audioDevices } });
const entry = (callId: string, phase: CallEntry['phase']): CallEntry => ({ callId, phase, direction: 'incoming' }) as CallEntry;

describe('callEventsToActions', () => {
  it('names each SDK call fact as an action', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const voice = new FakeVoicePort({
        callEvents$: hot<CallEvent>('-i-r-e-d', {
          i: { kind: 'incoming', callId: 'c1', callSid: 'CA1', from: '+1', to: 'client:alice', customParameters: {}, isCallerVerified: null },
          r: { kind: 'reconnecting', callId: 'c1', code: 53001, message: 'lost' },
          e: { kind: 'error', callId: 'c1', code: 31486, message: 'Busy' },
          d: { kind: 'disconnected', callId: 'c1', callSid: 'CA1' },
        }),
      });
      expectObservable(callEventsToActions(voice, clock)).toBe('-i-r-e-d', {
        i: CallSdkEvents.incomingReceived({ call: { callId: 'c1', callSid: 'CA1', from: '+1', to: 'client:alice', customParameters: {}, isCallerVerified: null }, at: 1000 }),
        r: CallSdkEvents.reconnecting({ callId: 'c1', error: describeVoiceError(53001, 'lost'), at: 1000 }),
        e: CallSdkEvents.failed({ callId: 'c1', error: describeVoiceError(31486, 'Busy') }),
        d: CallSdkEvents.disconnected({ callId: 'c1', callSid: 'CA1', at: 1000 }),
      });
    });
  });
});

describe('dialOutgoing', () => {
  it('places the call through the port when online with a microphone', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('-d', { d: SoftphonePanelActions.dialSubmitted({ to: '+14155550111' }) }));
      expectObservable(dialOutgoing(actions$, storeOf(hot('s', { s: online() })), voice, clock, new FakeNumberPolicyCheck())).toBe('-o', {
        o: CallCommandEvents.outgoingStarted({ callId: 'call-1', to: '+14155550111', at: 1000 }),
      });
    });
  });

  it('passes a rejoin\'s parameters to the port with the call (no number check: its `to` is not a number)', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const policy = new FakeNumberPolicyCheck();
      const actions$ = new Actions(hot<Action>('-d', { d: SoftphonePanelActions.dialSubmitted({ to: 'rejoin', params: { [REJOIN_PARAM]: 'RS1' } }) }));
      expectObservable(dialOutgoing(actions$, storeOf(hot('s', { s: online() })), voice, clock, policy)).toBe('-o', {
        o: CallCommandEvents.outgoingStarted({ callId: 'call-1', to: 'rejoin', at: 1000, params: { [REJOIN_PARAM]: 'RS1' } }),
      });
      flush();
      expect(voice.commandsNamed('connect')).toEqual([{ method: 'connect', args: [{ to: 'rejoin', params: { [REJOIN_PARAM]: 'RS1' } }] }]);
      expect(policy.asked).toEqual([]);
    });
  });

  it('refuses with the microphone guidance when permission is denied (the phone still registers)', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('-d', { d: SoftphonePanelActions.dialSubmitted({ to: '+14155550111' }) }));
      const denied = online({ audioDevices: { permission: 'denied', permissionError: describeAppError('MicrophoneDenied') } });
      expectObservable(dialOutgoing(actions$, storeOf(hot('s', { s: denied })), voice, clock, new FakeNumberPolicyCheck())).toBe('-f', {
        f: CallCommandEvents.outgoingFailed({ to: '+14155550111', error: describeAppError('MicrophoneDenied'), at: 1000 }),
      });
      flush();
      expect(voice.commandsNamed('connect')).toEqual([]);
    });
  });

  it('refuses while offline', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const actions$ = new Actions(hot<Action>('-d', { d: SoftphonePanelActions.dialSubmitted({ to: '+1' }) }));
      const offline = online({ connection: { phase: 'unregistered' } });
      expectObservable(dialOutgoing(actions$, storeOf(hot('s', { s: offline })), new FakeVoicePort(), clock, new FakeNumberPolicyCheck())).toBe('-f', {
        f: CallCommandEvents.outgoingFailed({ to: '+1', error: describeAppError('PhoneOffline'), at: 1000 }),
      });
    });
  });
  it('asks the calling policy before dialling a phone number, then dials', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const policy = new FakeNumberPolicyCheck(() => cold<CheckNumberResponse>('--a|', { a: { allowed: true, e164: '+14155550111' } }));
      const actions$ = new Actions(hot<Action>('-d', { d: SoftphonePanelActions.dialSubmitted({ to: '+1 415 555 0111' }) }));
      expectObservable(dialOutgoing(actions$, storeOf(hot('s', { s: online() })), voice, clock, policy)).toBe('---o', {
        o: CallCommandEvents.outgoingStarted({ callId: 'call-1', to: '+1 415 555 0111', at: 1000 }),
      });
      flush();
      expect(policy.asked).toEqual(['+1 415 555 0111']);
    });
  });

  it('a refused number never reaches the SDK: the call closes as failed with the policy\'s sentence', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const message = "Premium-rate numbers are blocked by your organisation's calling policy.";
      const policy = new FakeNumberPolicyCheck(() => cold<CheckNumberResponse>('-r|', { r: { allowed: false, reason: 'blocked-prefix', message } }));
      const actions$ = new Actions(hot<Action>('-d', { d: SoftphonePanelActions.dialSubmitted({ to: '+19005550100' }) }));
      expectObservable(dialOutgoing(actions$, storeOf(hot('s', { s: online() })), voice, clock, policy)).toBe('--f', {
        f: CallCommandEvents.outgoingFailed({ to: '+19005550100', error: numberRefusedError(message), at: 1000 }),
      });
      flush();
      expect(voice.commandsNamed('connect')).toEqual([]);
    });
  });

  it('a check that cannot be made (network) places no call and says so', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const policy = new FakeNumberPolicyCheck(() => cold<CheckNumberResponse>('-#', undefined, new Error('offline')));
      const actions$ = new Actions(hot<Action>('-d-d', { d: SoftphonePanelActions.dialSubmitted({ to: '+14155550111' }) }));
      expectObservable(dialOutgoing(actions$, storeOf(hot('s', { s: online() })), voice, clock, policy)).toBe('--f-f', {
        f: CallCommandEvents.outgoingFailed({ to: '+14155550111', error: numberCheckFailedError(), at: 1000 }),
      });
      flush();
      expect(voice.commandsNamed('connect')).toEqual([]);
    });
  });

  it('does not ask the policy about agents (client: or a name)', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const policy = new FakeNumberPolicyCheck();
      const actions$ = new Actions(hot<Action>('-a-b', {
        a: SoftphonePanelActions.dialSubmitted({ to: 'client:bob' }),
        b: SoftphonePanelActions.dialSubmitted({ to: 'bob' }),
      }));
      expectObservable(dialOutgoing(actions$, storeOf(hot('s', { s: online() })), voice, clock, policy)).toBe('-a-b', {
        a: CallCommandEvents.outgoingStarted({ callId: 'call-1', to: 'client:bob', at: 1000 }),
        b: CallCommandEvents.outgoingStarted({ callId: 'call-2', to: 'bob', at: 1000 }),
      });
      flush();
      expect(policy.asked).toEqual([]);
    });
  });
});

describe('answerIncoming', () => {
  it('call waiting: hangs up the call in progress, then accepts the waiting one', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const state = online({ call: { calls: { c1: entry('c1', 'open'), c2: entry('c2', 'pending') }, order: ['c1', 'c2'] } });
      const actions$ = new Actions(hot<Action>('-a', { a: SoftphonePanelActions.answerClicked({ callId: 'c2' }) }));
      expectObservable(answerIncoming(actions$, storeOf(hot('s', { s: state })), voice, new FakeCallControlPort())).toBe('');
      flush();
      expect(voice.commands).toEqual([
        { method: 'hangUp', args: ['c1'] },
        { method: 'accept', args: ['c2'] },
      ]);
    });
  });

  // c1 is the agent's leg of a call the API anchors: leaving it locally would make the API open a rescue.
  const anchoredState = online({
    call: { calls: { c1: entry('c1', 'open'), c2: entry('c2', 'pending') }, order: ['c1', 'c2'] },
    callControl: { phase: 'idle-in-call', controllable: true, callId: 'c1', callSid: 'CA1' },
  });
  const answerC2 = SoftphonePanelActions.answerClicked({ callId: 'c2' });
  const leave = CallCommandEvents.leaveRequested({ callId: 'c1', cause: 'answering-another' });

  it('call waiting on an anchored call: leaves it through the hang-up path (no local disconnect), accepts once it has ended', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('-a--d', { a: answerC2, d: CallSdkEvents.disconnected({ callId: 'c1', callSid: 'CA1', at: 1 }) }));
      expectObservable(answerIncoming(actions$, storeOf(hot('s', { s: anchoredState })), voice, new FakeCallControlPort())).toBe('-l', { l: leave });
      flush();
      expect(voice.commands).toEqual([{ method: 'accept', args: ['c2'] }]);
    });
    // Not before the leg ended.
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('-a', { a: answerC2 }));
      expectObservable(answerIncoming(actions$, storeOf(hot('s', { s: anchoredState })), voice, new FakeCallControlPort())).toBe('-l', { l: leave });
      flush();
      expect(voice.commands).toEqual([]);
    });
  });

  it('still answers if even the local disconnect of the anchored leg failed; not at all if the waiting caller gave up first', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const failed = CallCommandEvents.commandFailed({ callId: 'c1', command: 'hang-up', error: describeAppError('DeviceSetupFailed') });
      const actions$ = new Actions(hot<Action>('-a-f', { a: answerC2, f: failed }));
      expectObservable(answerIncoming(actions$, storeOf(hot('s', { s: anchoredState })), voice, new FakeCallControlPort())).toBe('-l', { l: leave });
      flush();
      expect(voice.commands).toEqual([{ method: 'accept', args: ['c2'] }]);
    });
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('-a-c-d', {
        a: answerC2, c: CallSdkEvents.cancelled({ callId: 'c2', at: 1 }), d: CallSdkEvents.disconnected({ callId: 'c1', callSid: 'CA1', at: 1 }),
      }));
      expectObservable(answerIncoming(actions$, storeOf(hot('s', { s: anchoredState })), voice, new FakeCallControlPort())).toBe('-l', { l: leave });
      flush();
      expect(voice.commands).toEqual([]);
    });
  });

  it('without the call-control API wired, an anchored call is hung up locally as before', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('-a', { a: answerC2 }));
      expectObservable(answerIncoming(actions$, storeOf(hot('s', { s: anchoredState })), voice, null)).toBe('');
      flush();
      expect(voice.commands).toEqual([{ method: 'hangUp', args: ['c1'] }, { method: 'accept', args: ['c2'] }]);
    });
  });
});

describe('commands survive errors', () => {
  it('20 failing hang-ups in a row, then mute still works (NgRx would stop an effect after 10 uncaught errors)', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort({ throwOn: ['hangUp'] });
      const storm = '-' + 'h'.repeat(20);
      const actions$ = new Actions(hot<Action>(storm, { h: SoftphonePanelActions.hangUpClicked({ callId: 'c1' }) }));
      const failed = CallCommandEvents.commandFailed({ callId: 'c1', command: 'hang-up', error: describeAppError('DeviceSetupFailed') });
      expectObservable(hangUp(actions$, voice, of(null), null, { hangUpApiTimeoutMs: 3000 })).toBe(storm, { h: failed });
      const mute$ = new Actions(hot<Action>('-'.repeat(22) + 'm', { m: SoftphonePanelActions.muteClicked({ callId: 'c1' }) }));
      expectObservable(toggleMute(mute$, voice)).toBe('');
      flush();
      expect(voice.commandNames.filter((n) => n === 'hangUp')).toHaveLength(20);
      expect(voice.commandsNamed('mute')).toEqual([{ method: 'mute', args: ['c1'] }]);
    });
  });

  it('invalid DTMF never reaches the SDK', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const actions$ = new Actions(hot<Action>('ab', { a: SoftphonePanelActions.digitsPressed({ callId: 'c1', digits: '12#' }), b: SoftphonePanelActions.digitsPressed({ callId: 'c1', digits: 'x' }) }));
      expectObservable(sendDigits(actions$, voice)).toBe('-f', {
        f: expect.objectContaining({ type: CallCommandEvents.commandFailed.type, command: 'send-digits' }) as unknown as Action,
      });
      flush();
      expect(voice.commandsNamed('sendDigits').map((c) => c.args[1])).toEqual(['1', '2', '#']);
    });
  });

  it('sends quickly pressed keys one tone slot apart, in order, so the browser drops none of them', () => {
    const scheduler = newScheduler();
    scheduler.run(({ hot, flush }) => {
      const voice = new FakeVoicePort();
      const sentAt: [number, string][] = [];
      const original = voice.sendDigits.bind(voice);
      voice.sendDigits = (callId, digits) => {
        sentAt.push([scheduler.now(), digits]);
        original(callId, digits);
      };
      const press = (digits: string) => SoftphonePanelActions.digitsPressed({ callId: 'c1', digits });
      const actions$ = new Actions(hot<Action>('abc', { a: press('1'), b: press('2'), c: press('#') }));
      sendDigits(actions$, voice).subscribe();
      flush();
      expect(sentAt).toEqual([[0, '1'], [DTMF_TONE_SLOT_MS, '2'], [2 * DTMF_TONE_SLOT_MS, '#']]);
    });
  });
});

describe('isPhoneNumberTarget', () => {
  it.each([
    ['+19005550100', true], ['+1 (415) 555-0111', true], ['4155550111', true],
    ['client:bob', false], ['bob', false], ['agent_7', false], ['', false], ['+', false],
  ])('%s → %s', (to, expected) => {
    expect(isPhoneNumberTarget(to)).toBe(expected);
  });
});

describe('confirmLeavingWhileRinging', () => {
  const withCalls = (...calls: CallEntry[]) =>
    online({ call: { calls: Object.fromEntries(calls.map((c) => [c.callId, c])), order: calls.map((c) => c.callId) } });

  function attemptsWith(state: VoiceRootState): boolean {
    const lifecycle = new FakePageLifecycle();
    const subscription = confirmLeavingWhileRinging(lifecycle, storeOf(of(state))).subscribe();
    try {
      return lifecycle.attemptUnload();
    } finally {
      subscription.unsubscribe();
    }
  }

  it('asks the agent to confirm leaving while a call rings', () => {
    expect(attemptsWith(withCalls(entry('c1', 'pending')))).toBe(true);
  });

  it('asks too when the ringing call is a second one beside a call in progress', () => {
    expect(attemptsWith(withCalls(entry('c1', 'open'), entry('c2', 'pending')))).toBe(true);
  });

  it('lets the page go when nothing rings (a call in progress is the SDK closeProtection’s to guard)', () => {
    expect(attemptsWith(withCalls())).toBe(false);
    expect(attemptsWith(withCalls(entry('c1', 'open')))).toBe(false);
    expect(attemptsWith(withCalls(entry('c1', 'closed')))).toBe(false);
  });
});
