import { TestBed } from '@angular/core/testing';
import type { Action } from '@ngrx/store';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import type { AgentAvailability, AgentAvailabilityEvent, AgentReachabilityEvent, AvailabilityResponse, SetAvailabilityRequest } from '@switchboard/shared-contracts';
import { SessionEvents } from '@switchboard/softphone-data-access-voice';
import { Subject, of, throwError, type Observable } from 'rxjs';
import { AvailabilityApiEvents, AvailabilityLiveEvents, AvailabilityMenuActions } from './availability.actions';
import { availabilityLiveEvents, loadAvailability, saveChosenAvailability } from './availability.effects';
import { availabilityFeature } from './availability.feature';
import type { AvailabilityLiveEventsPort, AvailabilityPort } from './availability.ports';

const own: AgentAvailability = { identity: 'bob', state: 'available', reason: null, since: '2026-12-06T10:00:00.000Z' };
const response: AvailabilityResponse = { availability: own, awayReasons: [], dispositionCodes: [], wrapUpSeconds: 0 };
const problem = { message: 'You are on a call.', nextStep: 'Wait for the current call or wrap-up to end, then choose again.' };

class FakeAvailabilityPort implements AvailabilityPort {
  loads = 0;
  readonly chosen: SetAvailabilityRequest[] = [];
  answer: Subject<AgentAvailability> | null = null;
  refuse = false;
  load(): Observable<AvailabilityResponse> {
    this.loads++;
    return of(response);
  }
  choose(request: SetAvailabilityRequest): Observable<AgentAvailability> {
    this.chosen.push(request);
    if (this.refuse) return throwError(() => problem);
    return this.answer ?? of({ ...own, state: request.state });
  }
  history() {
    return of({ changes: [] });
  }
}

class FakeLiveEvents implements AvailabilityLiveEventsPort {
  readonly availability = new Subject<AgentAvailabilityEvent>();
  readonly reachability = new Subject<AgentReachabilityEvent>();
  readonly opened = new Subject<void>();
  availabilityChanges() {
    return this.availability.asObservable();
  }
  reachabilityChanges() {
    return this.reachability.asObservable();
  }
  streamOpened() {
    return this.opened.asObservable();
  }
}

describe('availability effects', () => {
  let actions$: Subject<Action>;
  let api: FakeAvailabilityPort;
  let live: FakeLiveEvents;
  let store: MockStore;
  let out: Action[];

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideMockStore()] });
    store = TestBed.inject(MockStore);
    actions$ = new Subject();
    api = new FakeAvailabilityPort();
    live = new FakeLiveEvents();
    out = [];
  });

  it('loads after sign-in and again each time the live stream reopens, until sign-out', () => {
    loadAvailability(actions$, api, live).subscribe((a) => out.push(a));
    live.opened.next();
    expect(api.loads).toBe(0);
    actions$.next(SessionEvents.signedIn({ agent: { identity: 'bob', displayName: 'Bob' } }));
    expect(out).toEqual([AvailabilityApiEvents.loadStarted(), AvailabilityApiEvents.loaded({ response })]);
    live.opened.next();
    expect(api.loads).toBe(2);
    actions$.next(SessionEvents.signedOut());
    live.opened.next();
    expect(api.loads).toBe(2);
  });

  it('sends the accepted choice once, and says what to do when it is refused', () => {
    saveChosenAvailability(actions$, store, api).subscribe((a) => out.push(a));
    store.overrideSelector(availabilityFeature.selectPending, null);
    store.refreshState();
    actions$.next(AvailabilityMenuActions.availableChosen()); // refused by the slice: nothing pending
    expect(api.chosen).toEqual([]);

    api.answer = new Subject();
    store.overrideSelector(availabilityFeature.selectPending, { state: 'away', reason: 'break' });
    store.refreshState();
    actions$.next(AvailabilityMenuActions.awayChosen({ reason: 'break' }));
    actions$.next(AvailabilityMenuActions.awayChosen({ reason: 'lunch' })); // while the first is in flight
    expect(api.chosen).toEqual([{ state: 'away', reason: 'break' }]);
    api.answer.next({ ...own, state: 'away', reason: 'break' });
    api.answer.complete();
    expect(out).toEqual([AvailabilityApiEvents.changed({ availability: { ...own, state: 'away', reason: 'break' } })]);

    api.answer = null;
    api.refuse = true;
    actions$.next(AvailabilityMenuActions.awayChosen({ reason: 'break' }));
    expect(out.at(-1)).toEqual(AvailabilityApiEvents.changeFailed({ problem }));
  });

  it('turns the agent\'s live events into actions', () => {
    availabilityLiveEvents(live).subscribe((a) => out.push(a));
    const event: AgentAvailabilityEvent = { availability: own, previous: 'away', by: { kind: 'supervisor', identity: 'sam' } };
    const reachability: AgentReachabilityEvent = { identity: 'bob', reachable: false, reason: 'tab-frozen', since: own.since };
    live.availability.next(event);
    live.reachability.next(reachability);
    expect(out).toEqual([AvailabilityLiveEvents.availabilityChanged({ event }), AvailabilityLiveEvents.reachabilityChanged({ reachability })]);
  });
});
