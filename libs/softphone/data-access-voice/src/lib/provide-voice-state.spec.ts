import { TestBed } from '@angular/core/testing';
import { Store, provideStore } from '@ngrx/store';
import { of } from 'rxjs';
import { FakeMicrophoneAccess, FakeNumberPolicyCheck, FakePageLifecycle, FakeTabLeadership, FakeVoicePort, FakeVoiceTokenSource, InMemoryDevicePreferences, fakeVoiceToken } from '../testing';
import { DEVICE_PREFERENCES_STORAGE } from './ports/device-preferences-storage';
import { MICROPHONE_ACCESS } from './ports/microphone-access';
import { NUMBER_POLICY_CHECK } from './ports/number-policy-check';
import { PAGE_LIFECYCLE } from './ports/page-lifecycle';
import { TAB_LEADERSHIP } from './ports/tab-leadership';
import { VOICE_PORT } from './ports/voice-port';
import { VOICE_TOKEN_SOURCE } from './ports/voice-token-source';
import { provideVoiceState } from './provide-voice-state';
import { SessionEvents } from './session.actions';
import { SoftphonePanelActions } from './softphone-panel.actions';
import { selectSoftphoneViewModel } from './softphone.selectors';

/** The real store and effects over the fake port: sign-in to a completed call, end to end. */
describe('provideVoiceState (real store, fake port)', () => {
  function setUp() {
    // One log across both fakes, to see that the microphone is asked before the Device registers.
    const steps: string[] = [];
    const microphone = new FakeMicrophoneAccess({ check: () => (steps.push('checkMicrophone'), of({ permission: 'granted' as const })) });
    const voice = new FakeVoicePort({
      register: () => {
        steps.push('register');
        voice.emitDevice({ kind: 'registering' });
        voice.emitDevice({ kind: 'registered', edge: 'ashburn' });
        return of(undefined);
      },
    });
    const pageLifecycle = new FakePageLifecycle();
    TestBed.configureTestingModule({
      providers: [
        provideStore({}, { runtimeChecks: { strictActionSerializability: true, strictStateSerializability: true, strictActionImmutability: true, strictStateImmutability: true } }),
        provideVoiceState(),
        { provide: VOICE_PORT, useValue: voice },
        { provide: MICROPHONE_ACCESS, useValue: microphone },
        { provide: NUMBER_POLICY_CHECK, useValue: new FakeNumberPolicyCheck() },
        { provide: VOICE_TOKEN_SOURCE, useValue: new FakeVoiceTokenSource([], () => of(fakeVoiceToken())) },
        { provide: PAGE_LIFECYCLE, useValue: pageLifecycle },
        { provide: DEVICE_PREFERENCES_STORAGE, useValue: new InMemoryDevicePreferences() },
        { provide: TAB_LEADERSHIP, useValue: new FakeTabLeadership() },
      ],
    });
    const store = TestBed.inject(Store);
    return { store, voice, steps, vm: () => TestBed.runInInjectionContext(() => store.selectSignal(selectSoftphoneViewModel))() };
  }

  it('signs in, checks the microphone before the Device, goes online, and completes a call', () => {
    const { store, voice, steps, vm } = setUp();
    store.dispatch(SessionEvents.signedIn({ agent: { identity: 'alice', displayName: 'Alice' } }));
    expect(steps).toEqual(['checkMicrophone', 'register']);
    expect(vm().status.label).toBe('Online');
    expect(vm().canDial).toBe(true);

    store.dispatch(SoftphonePanelActions.dialSubmitted({ to: '+14155550111' }));
    expect(vm().activeCall).toMatchObject({ callId: 'call-1', phase: 'dialing' });
    voice.emitCall({ kind: 'ringing', callId: 'call-1', hasEarlyMedia: false });
    voice.emitCall({ kind: 'accepted', callId: 'call-1', callSid: 'CA1' });
    voice.emitQuality({ kind: 'warning', callId: 'call-1', name: 'high-rtt' });
    expect(vm().quality?.level).toBe('fair');
    store.dispatch(SoftphonePanelActions.hangUpClicked({ callId: 'call-1' }));
    expect(voice.commandsNamed('hangUp')).toHaveLength(1);
    voice.emitCall({ kind: 'disconnected', callId: 'call-1', callSid: 'CA1' });
    expect(vm().activeCall).toBeNull();
    expect(vm().endedCall).toMatchObject({ outcomeText: 'Call ended' });

    store.dispatch(SessionEvents.signedOut());
    expect(voice.commandNames.at(-1)).toBe('destroy');
    expect(vm().status.phase).toBe('signed-out');
  });
});
