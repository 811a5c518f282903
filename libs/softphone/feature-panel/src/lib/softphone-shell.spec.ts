import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { provideRouter, Router } from '@angular/router';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { initialOwnAvailabilityState } from '@switchboard/softphone-data-access-availability';
import { SessionStore } from '@switchboard/softphone-data-access-api';
import { API_ROUTES } from '@switchboard/shared-contracts';
import {
  CallCommandEvents,
  SoftphonePanelActions,
  connectionFeature,
  selectAnchoredLeg,
  initialCallControlState,
  selectCallControlView,
  selectSoftphoneViewModel,
  toCallControlView,
} from '@switchboard/softphone-data-access-voice';
import { SoftphoneShell } from './softphone-shell';
import { callView, idleViewModel } from './testing-fixtures';

describe('SoftphoneShell', () => {
  let store: MockStore;
  let http: HttpTestingController;
  let announce: jest.SpyInstance;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideMockStore({ initialState: { availability: initialOwnAvailabilityState } }), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    store = TestBed.inject(MockStore);
    http = TestBed.inject(HttpTestingController);
    announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel());
    store.overrideSelector(connectionFeature.selectRetry, null);
    store.overrideSelector(selectCallControlView, toCallControlView(initialCallControlState));
  });

  async function render(unheard = 0) {
    const fixture = TestBed.createComponent(SoftphoneShell);
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard });
    http.expectOne(API_ROUTES.agents).flush([{ identity: 'bob', displayName: 'Bob Brown' }]);
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture), element: fixture.nativeElement as HTMLElement };
  }

  function ring(patch: Parameters<typeof callView>[0] = {}) {
    store.overrideSelector(
      selectSoftphoneViewModel,
      idleViewModel({ incomingCall: callView({ callId: 'in-1', direction: 'incoming', phase: 'pending', remote: 'client:bob', connectedAt: null, canControl: false, ...patch }) }),
    );
    store.refreshState();
  }

  function press(code: string, target: EventTarget = document.body): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { code, key: code.slice(3).toLowerCase(), altKey: true, bubbles: true, cancelable: true });
    target.dispatchEvent(event);
    return event;
  }

  it('shows the unheard voicemail count in the navigation', async () => {
    const { element } = await render(3);
    const badge = element.querySelector('[data-testid=unheard-count]');
    expect(badge?.getAttribute('data-count')).toBe('3');
    expect(badge?.textContent).toContain('3');
  });

  it('rings on every screen with the directory name, announces it, and answers from the card', async () => {
    const { fixture, loader, element } = await render();
    const dispatch = jest.spyOn(store, 'dispatch');
    ring();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid=incoming-caller]')?.textContent).toContain('Bob Brown');
    expect(announce).toHaveBeenCalledWith(expect.stringContaining('Incoming call from Bob Brown (bob)'), 'assertive');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=accept-button]' }))).click();
    expect(dispatch).toHaveBeenCalledWith(SoftphonePanelActions.answerClicked({ callId: 'in-1' }));
  });

  it('answers with Alt+A and declines with Alt+D, even from the dial field', async () => {
    const { fixture } = await render();
    const dispatch = jest.spyOn(store, 'dispatch');
    ring();
    await fixture.whenStable();
    const field = document.createElement('input');
    document.body.appendChild(field);
    const event = press('KeyA', field);
    expect(event.defaultPrevented).toBe(true);
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.answerClicked({ callId: 'in-1' }));
    press('KeyD');
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.declineClicked({ callId: 'in-1' }));
    field.remove();
  });

  it('mutes with Alt+M and hangs up with Alt+H, but leaves Alt+M to a text field being typed in', async () => {
    const { fixture } = await render();
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel({ activeCall: callView({ callId: 'c9' }) }));
    store.refreshState();
    await fixture.whenStable();
    const dispatch = jest.spyOn(store, 'dispatch');
    press('KeyM');
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.muteClicked({ callId: 'c9' }));
    const notes = document.createElement('textarea');
    document.body.appendChild(notes);
    const typed = press('KeyM', notes);
    expect(typed.defaultPrevented).toBe(false);
    expect(dispatch).toHaveBeenCalledTimes(1);
    press('KeyH');
    expect(dispatch).toHaveBeenLastCalledWith(SoftphonePanelActions.hangUpClicked({ callId: 'c9' }));
    notes.remove();
  });

  it('shows the one status chip, in the toolbar, on every screen', async () => {
    const { element } = await render();
    expect(element.querySelectorAll('sb-connection-badge').length).toBe(1);
    expect(element.querySelector('mat-toolbar sb-connection-badge [data-testid=status-label]')?.textContent).toBe('Online');
  });

  it('signs out after leaving an anchored call through the API (no rescue), and only once the leg has gone', async () => {
    const anchored = store.overrideSelector(selectAnchoredLeg, { callId: 'c1', callSid: 'CA1' });
    const { element, fixture } = await render();
    const dispatch = jest.spyOn(store, 'dispatch');
    const endSession = jest.spyOn(TestBed.inject(SessionStore), 'signOut').mockResolvedValue();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const signOut = element.querySelector('[data-testid=sign-out-button]') as HTMLButtonElement;
    signOut.click();
    signOut.click();
    await fixture.whenStable().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // One leave, even on a double click (a second would be a second hang-up press: a local disconnect).
    expect(dispatch.mock.calls).toEqual([[CallCommandEvents.leaveRequested({ callId: 'c1', cause: 'signing-out' })]]);
    expect(endSession).not.toHaveBeenCalled();
    anchored.setResult(null);
    store.refreshState();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(endSession).toHaveBeenCalledTimes(1);
    expect(navigate).toHaveBeenCalledTimes(1);
  });

  it('leaves shortcuts with nothing to act on alone', async () => {
    await render();
    const dispatch = jest.spyOn(store, 'dispatch');
    const event = press('KeyA');
    expect(event.defaultPrevented).toBe(false);
    expect(dispatch).not.toHaveBeenCalled();
  });
});
