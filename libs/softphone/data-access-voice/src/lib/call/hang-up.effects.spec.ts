import { Actions } from '@ngrx/effects';
import type { Action } from '@ngrx/store';
import type { HangUpResponse } from '@switchboard/shared-contracts';
import { of } from 'rxjs';
import { FakeCallControlPort, FakeVoicePort } from '../../testing';
import type { AnchoredLeg } from '../call-control/call-control.selectors';
import type { CallControlProblem } from '../ports/call-control-port';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { newScheduler } from '../testing-support/spec-helpers';
import { CallCommandEvents, CallSdkEvents } from './call-sdk.actions';
import { hangUp } from './call.effects';

const leg: AnchoredLeg = { callId: 'c1', callSid: 'CA1' };
const config = { hangUpApiTimeoutMs: 3000 };
const click = SoftphonePanelActions.hangUpClicked({ callId: 'c1' });
const gone = CallSdkEvents.disconnected({ callId: 'c1', callSid: 'CA1', at: 1 });
const down: CallControlProblem = { code: 'network', message: 'The API could not be reached.', nextStep: 'Check your network.' };

describe('hang-up of a call the API anchors', () => {
  it('asks the API to take the leg out and leaves the disconnect to the SDK when it follows', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const port = new FakeCallControlPort({ hangUp: (callSid) => cold<HangUpResponse>('-r|', { r: { callSid, customerCallEnded: true } }) });
      const actions$ = new Actions(hot<Action>('h--d', { h: click, d: gone }));
      expectObservable(hangUp(actions$, voice, of(leg), port, config)).toBe('');
      flush();
      expect(port.requests).toEqual([{ method: 'hangUp', callSid: 'CA1' }]);
      expect(voice.commandsNamed('hangUp')).toEqual([]);
    });
  });

  it('disconnects locally at once when the API answers with an error (the API is down)', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const port = new FakeCallControlPort({ hangUp: () => cold<HangUpResponse>('--#', {}, down) });
      const actions$ = new Actions(hot<Action>('h', { h: click }));
      expectObservable(hangUp(actions$, voice, of(leg), port, config)).toBe('');
      flush();
      expect(voice.commands).toEqual([{ method: 'hangUp', args: ['c1'] }]);
    });
  });

  it('disconnects locally when the API does not answer within the bound', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const port = new FakeCallControlPort({ hangUp: () => cold<HangUpResponse>('-') });
      const actions$ = new Actions(hot<Action>('h', { h: click }));
      expectObservable(hangUp(actions$, voice, of(leg), port, config)).toBe('');
      flush();
      expect(voice.commands).toEqual([{ method: 'hangUp', args: ['c1'] }]);
    });
    // And not before the bound: at 2999 ms the SDK is still untouched.
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const port = new FakeCallControlPort({ hangUp: () => cold<HangUpResponse>('-') });
      const actions$ = new Actions(hot<Action>('h 2998ms d', { h: click, d: gone }));
      expectObservable(hangUp(actions$, voice, of(leg), port, config)).toBe('');
      flush();
      expect(voice.commands).toEqual([]);
    });
  });

  it('disconnects locally when the API answered but the SDK call has not ended within the bound', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const port = new FakeCallControlPort({ hangUp: (callSid) => cold<HangUpResponse>('-r|', { r: { callSid, customerCallEnded: false } }) });
      const actions$ = new Actions(hot<Action>('h', { h: click }));
      expectObservable(hangUp(actions$, voice, of(leg), port, config)).toBe('');
      flush();
      expect(voice.commands).toEqual([{ method: 'hangUp', args: ['c1'] }]);
    });
  });

  it('a second press while the API is asked ends the call here at once', () => {
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const port = new FakeCallControlPort({ hangUp: () => cold<HangUpResponse>('-') });
      const actions$ = new Actions(hot<Action>('h-h-d', { h: click, d: gone }));
      expectObservable(hangUp(actions$, voice, of(leg), port, config)).toBe('');
      flush();
      expect(port.requests).toHaveLength(1);
      expect(voice.commands).toEqual([{ method: 'hangUp', args: ['c1'] }]);
    });
  });

  it('leaves the same way when the agent answers a waiting call or signs out (leaveRequested); a press meanwhile ends it here', () => {
    for (const cause of ['answering-another', 'signing-out'] as const) {
      newScheduler().run(({ hot, cold, expectObservable, flush }) => {
        const voice = new FakeVoicePort();
        const port = new FakeCallControlPort({ hangUp: (callSid) => cold<HangUpResponse>('-r|', { r: { callSid, customerCallEnded: true } }) });
        const actions$ = new Actions(hot<Action>('l--d', { l: CallCommandEvents.leaveRequested({ callId: 'c1', cause }), d: gone }));
        expectObservable(hangUp(actions$, voice, of(leg), port, config)).toBe('');
        flush();
        expect(port.requests).toEqual([{ method: 'hangUp', callSid: 'CA1' }]);
        expect(voice.commands).toEqual([]);
      });
    }
    newScheduler().run(({ hot, cold, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const port = new FakeCallControlPort({ hangUp: () => cold<HangUpResponse>('-') });
      const actions$ = new Actions(hot<Action>('l-h-d', { l: CallCommandEvents.leaveRequested({ callId: 'c1', cause: 'signing-out' }), h: click, d: gone }));
      expectObservable(hangUp(actions$, voice, of(leg), port, config)).toBe('');
      flush();
      expect(port.requests).toHaveLength(1);
      expect(voice.commands).toEqual([{ method: 'hangUp', args: ['c1'] }]);
    });
  });

  it('hangs up locally as before when the call is not anchored, or another call is, or the API is not wired', () => {
    newScheduler().run(({ hot, expectObservable, flush }) => {
      const voice = new FakeVoicePort();
      const port = new FakeCallControlPort();
      const actions$ = new Actions(hot<Action>('h', { h: click }));
      expectObservable(hangUp(actions$, voice, of(null), port, config)).toBe('');
      expectObservable(hangUp(actions$, voice, of({ callId: 'c2', callSid: 'CA2' }), port, config)).toBe('');
      expectObservable(hangUp(actions$, voice, of(leg), null, config)).toBe('');
      flush();
      expect(port.requests).toEqual([]);
      expect(voice.commandNames).toEqual(['hangUp', 'hangUp', 'hangUp']);
    });
  });
});
