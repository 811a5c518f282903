import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { API_ROUTES, type CallParticipant } from '@switchboard/shared-contracts';
import {
  CallControlPanelActions,
  initialCallControlState,
  selectCallControlView,
  selectSoftphoneViewModel,
  toCallControlView,
  type CallControlState,
} from '@switchboard/softphone-data-access-voice';
import { DISPLAY_LOCALE } from '@switchboard/softphone-ui';
import { CallControlBarHarness, ParticipantsListHarness, RejoinBannerHarness, TransferDialogHarness } from '@switchboard/softphone-ui/testing';
import { CallControlSection } from './call-control-section';
import { idleViewModel } from './testing-fixtures';

const SID = 'CA1';
const customer: CallParticipant = {
  participantId: 'c', displayName: 'Caller', identity: null, maskedNumber: '+1 ••• ••• 0100', role: 'customer', held: false, muted: false, joinedAt: '2026-12-06T09:00:00.000Z',
};
const view = (patch: Partial<CallControlState>) => toCallControlView({ ...initialCallControlState, callId: 'c1', callSid: SID, ...patch });
const altKey = (code: string) => new KeyboardEvent('keydown', { altKey: true, code, key: code.slice(3).toLowerCase(), bubbles: true, cancelable: true });

describe('CallControlSection', () => {
  let store: MockStore;
  let ringGroupsDown = false;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideMockStore(), provideHttpClient(), provideHttpClientTesting(),
        { provide: DISPLAY_LOCALE, useValue: 'en-US' },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    ringGroupsDown = false;
    store = TestBed.inject(MockStore);
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel());
    store.overrideSelector(selectCallControlView, view({}));
  });

  async function render() {
    const fixture = TestBed.createComponent(CallControlSection);
    const http = TestBed.inject(HttpTestingController);
    http.match(API_ROUTES.agents).forEach((r) => r.flush([{ identity: 'alice', displayName: 'Alice Adams' }, { identity: 'bob', displayName: 'Bob Brown' }]));
    http.match(API_ROUTES.ringGroups).forEach((r) => (ringGroupsDown ? r.flush({ message: 'down' }, { status: 503, statusText: 'Unavailable' }) : r.flush([{ id: 'support', name: 'support' }])));
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture), root: TestbedHarnessEnvironment.documentRootLoader(fixture), element: fixture.nativeElement as HTMLElement };
  }

  it('shows nothing for a call the API has not called controllable (agent to agent, or no API yet)', async () => {
    store.overrideSelector(selectCallControlView, view({ controllable: false }));
    const { element } = await render();
    expect(element.children.length).toBe(0);
  });

  it('holds through the bar, with the participants beside it', async () => {
    store.overrideSelector(selectCallControlView, view({ phase: 'idle-in-call', controllable: true, participants: [customer] }));
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader } = await render();
    expect(await (await loader.getHarness(ParticipantsListHarness)).getParticipants()).toEqual([{ name: 'Caller', role: 'Caller · +1 ••• ••• 0100', states: [] }]);
    await (await loader.getHarness(CallControlBarHarness)).hold();
    expect(dispatch).toHaveBeenLastCalledWith(CallControlPanelActions.holdClicked({ callSid: SID }));
  });

  it('Transfer opens the dialog with the directory; the choice is submitted for this call', async () => {
    store.overrideSelector(selectCallControlView, view({ phase: 'idle-in-call', controllable: true }));
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader, root, fixture } = await render();
    await (await loader.getHarness(CallControlBarHarness)).transfer();
    expect(dispatch).toHaveBeenLastCalledWith(CallControlPanelActions.transferOpened());
    const dialog = await root.getHarness(TransferDialogHarness);
    await dialog.chooseOption('Bob Brown');
    await dialog.submit();
    await fixture.whenStable();
    expect(dispatch).toHaveBeenLastCalledWith(
      CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'agent', identity: 'bob' }, mode: 'cold', targetDisplay: 'Bob Brown' }),
    );
  });

  it('a cancelled dialog is reported as dismissed', async () => {
    store.overrideSelector(selectCallControlView, view({ phase: 'idle-in-call', controllable: true }));
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader, root, fixture } = await render();
    await (await loader.getHarness(CallControlBarHarness)).consult();
    const dialog = await root.getHarness(TransferDialogHarness);
    expect(await dialog.getMode()).toBe('consult');
    await dialog.cancel();
    await fixture.whenStable();
    expect(dispatch).toHaveBeenLastCalledWith(CallControlPanelActions.transferDismissed());
  });

  it('keyboard: Alt+O holds or resumes, Alt+K opens the consult dialog; nothing when not controllable', async () => {
    store.overrideSelector(selectCallControlView, view({ phase: 'held', controllable: true }));
    const dispatch = jest.spyOn(store, 'dispatch');
    const { root, fixture } = await render();
    document.dispatchEvent(altKey('KeyO'));
    expect(dispatch).toHaveBeenLastCalledWith(CallControlPanelActions.resumeClicked({ callSid: SID }));
    document.dispatchEvent(altKey('KeyK'));
    await fixture.whenStable();
    expect(await (await root.getHarness(TransferDialogHarness)).getMode()).toBe('consult');

    store.overrideSelector(selectCallControlView, view({ controllable: false }));
    store.refreshState();
    dispatch.mockClear();
    const hold = altKey('KeyO');
    document.dispatchEvent(hold);
    expect(dispatch).not.toHaveBeenCalled();
    expect(hold.defaultPrevented).toBe(false);
  });

  it('offers the rejoin with a countdown; the button and Alt+J both rejoin that call', async () => {
    store.overrideSelector(
      selectCallControlView,
      view({ phase: 'rejoin-offered', rejoinable: { callSid: 'CAold', customerDisplay: 'Caller', expiresAt: new Date(Date.now() + 60_000).toISOString() } }),
    );
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader } = await render();
    const banner = await loader.getHarness(RejoinBannerHarness);
    expect(await banner.getCountdown()).toMatch(/^Rejoin within (59|60) s\.$/);
    await banner.rejoin();
    expect(dispatch).toHaveBeenLastCalledWith(CallControlPanelActions.rejoinClicked({ callSid: 'CAold' }));
    dispatch.mockClear();
    document.dispatchEvent(altKey('KeyJ'));
    expect(dispatch).toHaveBeenLastCalledWith(CallControlPanelActions.rejoinClicked({ callSid: 'CAold' }));
  });

  it('shows why a transfer came back, until dismissed', async () => {
    store.overrideSelector(
      selectCallControlView,
      view({ phase: 'returned-to-you', controllable: true, transfer: { transferId: 'T', mode: 'cold', targetDisplay: 'Bob Brown', status: 'no-answer' } }),
    );
    const dispatch = jest.spyOn(store, 'dispatch');
    const { element, fixture } = await render();
    expect(element.querySelector('[data-testid=call-control-notice]')?.textContent).toContain('Transfer to Bob Brown: No answer. The caller is back with you.');
    (element.querySelector('[data-testid=call-control-notice-dismiss]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(dispatch).toHaveBeenLastCalledWith(CallControlPanelActions.noticeDismissed());
  });

  it('offers the ring groups in the transfer dialog and submits one as a ring-group target', async () => {
    store.overrideSelector(selectCallControlView, view({ phase: 'idle-in-call', controllable: true }));
    const dispatch = jest.spyOn(store, 'dispatch');
    const { loader, root, fixture } = await render();
    await (await loader.getHarness(CallControlBarHarness)).transfer();
    const dialog = await root.getHarness(TransferDialogHarness);
    await dialog.chooseOption('support');
    await dialog.submit();
    await fixture.whenStable();
    expect(dispatch).toHaveBeenLastCalledWith(
      CallControlPanelActions.transferSubmitted({ callSid: SID, target: { kind: 'ring-group', id: 'support' }, mode: 'cold', targetDisplay: 'support' }),
    );
  });

  it('without ring groups (their list failed) the dialog still offers agents, and asks for the groups again', async () => {
    ringGroupsDown = true;
    store.overrideSelector(selectCallControlView, view({ phase: 'idle-in-call', controllable: true }));
    const { loader, root, fixture } = await render();
    await (await loader.getHarness(CallControlBarHarness)).transfer();
    const dialog = await root.getHarness(TransferDialogHarness);
    expect(await dialog.getOptionNames()).toEqual(['Bob Brown']);
    TestBed.inject(HttpTestingController).expectOne(API_ROUTES.ringGroups).flush([]);
    await fixture.whenStable();
  });

  it('marks the agent\'s own entry "You" in the participants', async () => {
    const me: CallParticipant = { ...customer, participantId: 'a', displayName: 'Alice Adams', identity: 'alice', maskedNumber: null, role: 'agent' };
    store.overrideSelector(selectCallControlView, view({ phase: 'idle-in-call', controllable: true, participants: [customer, me] }));
    const { loader } = await render();
    expect((await (await loader.getHarness(ParticipantsListHarness)).getParticipants()).map((p) => p.name)).toEqual(['You', 'Caller']);
  });
});
