import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type LiveEvent } from '@switchboard/shared-contracts';
import { Subject } from 'rxjs';
import { LiveEventsClient } from '../live-events/live-events.client';
import { floorSnapshot, liveEvent } from './floor-fixtures';
import { FloorBoardStore } from './floor-board.store';

const awayReasons = [{ id: 'break', label: 'Break' }, { id: 'meeting', label: 'Meeting' }];
const aliceAway = liveEvent('agent.availability', {
  availability: { identity: 'alice', state: 'away', reason: 'break', since: '2026-12-06T10:00:04.000Z' },
  previous: 'available',
  by: { kind: 'self' },
});
const hello = (resumed: boolean) =>
  liveEvent('session.hello', { identity: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', instanceId: 'i', resumed });

describe('FloorBoardStore', () => {
  let http: HttpTestingController;
  let events: Subject<LiveEvent>;

  beforeEach(() => {
    events = new Subject<LiveEvent>();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), FloorBoardStore, { provide: LiveEventsClient, useValue: { events$: events } }],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }

  async function loadedStore() {
    const store = TestBed.inject(FloorBoardStore);
    http.expectOne(API_ROUTES.availability).flush({ availability: {}, awayReasons, dispositionCodes: [], wrapUpSeconds: 0 });
    http.expectOne(API_ROUTES.floor).flush(floorSnapshot());
    await settle();
    return store;
  }

  it('loads the snapshot and the away reasons, then applies live events', async () => {
    const store = await loadedStore();
    expect(store.status()).toBe('loaded');
    expect(store.awayReasons()).toEqual(awayReasons);
    events.next(aliceAway);
    expect(store.board()?.agents[0].availability.state).toBe('away');
  });

  it('applies events that arrived during the fetch after the snapshot', async () => {
    const store = TestBed.inject(FloorBoardStore);
    http.expectOne(API_ROUTES.availability).flush({ availability: {}, awayReasons: [], dispositionCodes: [], wrapUpSeconds: 0 });
    events.next(aliceAway);
    expect(store.board()).toBeNull();
    http.expectOne(API_ROUTES.floor).flush(floorSnapshot());
    await settle();
    expect(store.board()?.agents[0].availability.state).toBe('away');
  });

  it('says why a fetch failed, and loads again when asked', async () => {
    const store = TestBed.inject(FloorBoardStore);
    http.expectOne(API_ROUTES.availability).flush({ message: 'down' }, { status: 503, statusText: 'Unavailable' });
    http.expectOne(API_ROUTES.floor).flush({ statusCode: 403, error: 'Forbidden', message: 'Only supervisors see the floor' }, { status: 403, statusText: 'Forbidden' });
    await settle();
    expect(store.status()).toBe('failed');
    expect(store.error()).toBe('Only supervisors see the floor');
    expect(store.awayReasons()).toEqual([]);
    const again = store.load();
    http.expectOne(API_ROUTES.floor).flush(floorSnapshot());
    await again;
    expect(store.status()).toBe('loaded');
  });

  it('fetches again after session.resync and after a stream that reopened without resuming, not after a resumed one', async () => {
    const store = await loadedStore();
    events.next(hello(true));
    http.expectNone(API_ROUTES.floor);
    events.next(liveEvent('session.resync', { reason: 'unknown-last-event-id' }));
    http.expectOne(API_ROUTES.floor).flush(floorSnapshot({ counts: { answered: 9, missed: 0, abandoned: 0, averageWaitSeconds: null, averageHandleSeconds: null } }));
    await settle();
    expect(store.board()?.counts.answered).toBe(9);
    events.next(hello(false));
    http.expectOne(API_ROUTES.floor).flush(floorSnapshot());
    await settle();
    expect(store.board()?.counts.answered).toBe(3);
  });

  it('closes its stream subscription with the page that provided it', async () => {
    await loadedStore();
    expect(events.observed).toBe(true);
    TestBed.resetTestingModule();
    expect(events.observed).toBe(false);
  });
});
