import { TestBed } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { selectAnchoredLeg } from '../call-control/call-control.selectors';
import { VOICE_STATE_CONFIG } from '../voice-state.config';
import { specConfig } from '../testing-support/spec-helpers';
import { CallCommandEvents } from './call-sdk.actions';
import { LeaveCallsBeforeSignOut } from './leave-before-sign-out';

describe('LeaveCallsBeforeSignOut', () => {
  let store: MockStore;
  let leaver: LeaveCallsBeforeSignOut;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideMockStore(), { provide: VOICE_STATE_CONFIG, useValue: specConfig({ hangUpApiTimeoutMs: 3000 }) }] });
    store = TestBed.inject(MockStore);
    leaver = TestBed.inject(LeaveCallsBeforeSignOut);
  });
  afterEach(() => jest.useRealTimers());

  it('with no anchored call, lets sign-out go on at once and asks nothing', async () => {
    store.overrideSelector(selectAnchoredLeg, null);
    const dispatch = jest.spyOn(store, 'dispatch');
    await leaver.leave();
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('leaves an anchored call through the hang-up path and waits until the leg has gone', async () => {
    const selected = store.overrideSelector(selectAnchoredLeg, { callId: 'c1', callSid: 'CA1' });
    const dispatch = jest.spyOn(store, 'dispatch');
    let done = false;
    const leaving = leaver.leave().then(() => { done = true; });
    await Promise.resolve();
    expect(dispatch).toHaveBeenCalledWith(CallCommandEvents.leaveRequested({ callId: 'c1', cause: 'signing-out' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(done).toBe(false);
    selected.setResult(null);
    store.refreshState();
    await leaving;
    expect(done).toBe(true);
  });

  it('goes on after twice the hang-up bound and a second when the SDK never tells of the end (destroy then ends the leg)', async () => {
    jest.useFakeTimers();
    store.overrideSelector(selectAnchoredLeg, { callId: 'c1', callSid: 'CA1' });
    let done = false;
    const leaving = leaver.leave().then(() => { done = true; });
    await jest.advanceTimersByTimeAsync(6999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await leaving;
    expect(done).toBe(true);
  });
});
