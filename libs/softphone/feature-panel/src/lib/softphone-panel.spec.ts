import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { initialOwnAvailabilityState } from '@switchboard/softphone-data-access-availability';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { describeVoiceError } from '@switchboard/shared-voice-model';
import {
  SoftphonePanelActions,
  SoftphoneSettingsActions,
  initialCallControlState,
  selectCallControlView,
  selectSoftphoneViewModel,
  toCallControlView,
  toStatusView,
} from '@switchboard/softphone-data-access-voice';
import { DISPLAY_LOCALE, SOFTPHONE_SHORTCUTS } from '@switchboard/softphone-ui';
import { SoftphonePanel } from './softphone-panel';
import { callView, idleViewModel, quietQualityServices } from './testing-fixtures';

describe('SoftphonePanel', () => {
  let store: MockStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      // A US browser: US numbers are written the national way.
      providers: [provideMockStore({ initialState: { availability: initialOwnAvailabilityState } }), provideHttpClient(), provideHttpClientTesting(), { provide: DISPLAY_LOCALE, useValue: 'en-US' }, ...quietQualityServices()],
    });
    store = TestBed.inject(MockStore);
    http = TestBed.inject(HttpTestingController);
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel());
    store.overrideSelector(selectCallControlView, toCallControlView(initialCallControlState));
  });

  async function render() {
    const fixture = TestBed.createComponent(SoftphonePanel);
    http.expectOne(API_ROUTES.agents).flush([{ identity: 'bob', displayName: 'Bob Brown' }]);
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture), element: fixture.nativeElement as HTMLElement };
  }

  it('dials a validated number as E.164 and an agent as client:<identity>', async () => {
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader } = await render();
    const input = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=dial-input]' }));
    const call = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=call-button]' }));
    await input.setValue('+44 20 7946 0000');
    await call.click();
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.dialSubmitted({ to: '+442079460000' }));
    await input.setValue('bob');
    await call.click();
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.dialSubmitted({ to: 'client:bob' }));
  });

  it('keeps the call button off with the store’s reason when calling is impossible', async () => {
    store.overrideSelector(
      selectSoftphoneViewModel,
      idleViewModel({ canDial: false, dialDisabledReason: 'Allow microphone access for this site.', microphone: { permission: 'denied', guidance: 'Allow microphone access for this site.' } }),
    );
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader, element } = await render();
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=dial-input]' }))).setValue('+14155550100');
    expect(await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=call-button]' }))).isDisabled()).toBe(true);
    expect(element.querySelector('[data-testid=dial-guidance]')?.textContent).toContain('Allow microphone access');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=microphone-check]' }))).click();
    expect(dispatch).toHaveBeenCalledWith(SoftphoneSettingsActions.microphoneCheckClicked());
  });

  it('replaces the dialer with the live call, whose controls dispatch for that call', async () => {
    store.overrideSelector(
      selectSoftphoneViewModel,
      idleViewModel({
        activeCall: callView({ callId: 'c7' }),
        quality: { level: 'fair', warnings: [{ name: 'high-rtt', title: 'Delay', remediation: 'Close large downloads.' }], latest: null, summary: null },
      }),
    );
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader, element } = await render();
    expect(element.querySelector('[data-testid=dial-input]')).toBeNull();
    expect(element.querySelector('[data-testid=quality-indicator]')?.getAttribute('data-level')).toBe('fair');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=mute-button]' }))).click();
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.muteClicked({ callId: 'c7' }));
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=hang-up-button]' }))).click();
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.hangUpClicked({ callId: 'c7' }));
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=keypad-toggle]' }))).click();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=keypad-key-star]' }))).click();
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.digitsPressed({ callId: 'c7', digits: '*' }));
  });

  it('lists every shortcut, call control included, in the shortcuts line', async () => {
    const { element } = await render();
    const line = (element.querySelector('[data-testid=shortcut-help]')?.textContent ?? '').replace(/\s+/g, ' ');
    const words: Record<keyof typeof SOFTPHONE_SHORTCUTS, string> = {
      answer: 'answer', decline: 'decline', hangUp: 'hang up', mute: 'mute', hold: 'hold', transfer: 'transfer', consult: 'consult', rejoin: 'rejoin', status: 'status',
    };
    for (const [name, shortcut] of Object.entries(SOFTPHONE_SHORTCUTS)) {
      expect(line).toContain(`${shortcut.label} ${words[name as keyof typeof SOFTPHONE_SHORTCUTS]}`);
    }
  });

  it('names a rejoined call by who waited, not by the rejoin call\'s own address', async () => {
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel({ activeCall: callView({ callId: 'c9', remote: 'rejoin' }) }));
    store.overrideSelector(
      selectCallControlView,
      toCallControlView({ ...initialCallControlState, phase: 'back-in-call', controllable: true, callId: 'c9', callSid: 'CAnew', rejoinedCustomer: '+1 ••• ••• 0100' }),
    );
    const { element } = await render();
    expect(element.querySelector('[data-testid=call-remote]')?.textContent?.trim()).toBe('+1 ••• ••• 0100');
  });

  it('names the other party from the directory with the identity beside, and writes a number for reading', async () => {
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel({ activeCall: callView({ remote: 'client:bob' }) }));
    const { fixture, element } = await render();
    expect(element.querySelector('[data-testid=call-remote]')?.textContent?.trim()).toBe('Bob Brown');
    expect(element.querySelector('[data-testid=call-remote-detail]')?.textContent?.trim()).toBe('bob');
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel({ activeCall: callView({ remote: '+14155550111' }) }));
    store.refreshState();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=call-remote]')?.textContent?.trim()).toBe('(415) 555-0111');
    expect(element.querySelector('[data-testid=call-remote-detail]')).toBeNull();
  });

  it('shows a connection error with its next step and a way to retry', async () => {
    const error = describeVoiceError(31201);
    store.overrideSelector(
      selectSoftphoneViewModel,
      idleViewModel({ status: toStatusView('error', error, null) }),
    );
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader, element } = await render();
    expect(element.querySelector('[data-testid=status-chip]')).toBeNull();
    expect(element.querySelector('[data-testid=error-guidance]')?.getAttribute('data-code')).toBe('31201');
    expect(element.querySelector('[data-testid=error-next-step]')?.textContent).toBe(error.nextStep);
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=reconnect-button]' }))).click();
    expect(dispatch).toHaveBeenCalledWith(SoftphonePanelActions.reconnectClicked());
  });

  it('while another tab has the phone, says so and offers "Use this tab"', async () => {
    store.overrideSelector(
      selectSoftphoneViewModel,
      idleViewModel({ status: toStatusView('standby', null, null) }),
    );
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader, element } = await render();
    expect(element.querySelector('[data-testid=status-guidance]')?.textContent).toContain('another tab');
    expect(element.querySelector('[data-testid=reconnect-button]')).toBeNull();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=use-this-tab-button]' }))).click();
    expect(dispatch).toHaveBeenCalledWith(SoftphonePanelActions.useThisTabClicked());
  });

  it('offers "Use this tab" only while another tab has the phone, and shows no status words while online', async () => {
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel());
    const { element } = await render();
    expect(element.querySelector('[data-testid=use-this-tab-button]')).toBeNull();
    expect(element.querySelector('[data-testid=status-guidance]')).toBeNull();
  });

  it('shows no status chip of its own: the toolbar has the only one', async () => {
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel({ status: toStatusView('unregistered', null, { attempt: 1 }) }));
    const { element } = await render();
    expect(element.querySelector('sb-connection-badge')).toBeNull();
    expect(element.querySelector('[data-testid=status-guidance]')?.textContent).toContain('reconnecting on its own');
  });

  it('shows how the last call ended and lets the agent dismiss it', async () => {
    store.overrideSelector(
      selectSoftphoneViewModel,
      idleViewModel({ endedCall: { callId: 'c3', remote: '+1', outcome: { kind: 'no-answer' }, outcomeText: 'No answer', guidance: null } }),
    );
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader, element } = await render();
    expect(element.querySelector('[data-testid=call-outcome]')?.getAttribute('data-outcome')).toBe('no-answer');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[aria-label=Dismiss]' }))).click();
    expect(dispatch).toHaveBeenCalledWith(SoftphonePanelActions.endedCallDismissed({ callId: 'c3' }));
  });
});
