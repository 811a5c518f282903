import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { RingGroupsStore } from './ring-groups.store';

describe('RingGroupsStore', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('asks nothing until loaded, then loads the groups once', async () => {
    const store = TestBed.inject(RingGroupsStore);
    http.expectNone(API_ROUTES.ringGroups);
    const loading = store.load();
    void store.load(); // a second ask while loading sends nothing more
    http.expectOne({ method: 'GET', url: API_ROUTES.ringGroups }).flush([{ id: 'support', name: 'support' }]);
    await loading;
    await store.load();
    expect(store.groups()).toEqual([{ id: 'support', name: 'support' }]);
    expect(store.status()).toBe('loaded');
  });

  it('keeps no groups when the API fails, and tries again on the next load', async () => {
    const store = TestBed.inject(RingGroupsStore);
    const failing = store.load();
    http.expectOne(API_ROUTES.ringGroups).flush({ message: 'down' }, { status: 503, statusText: 'Unavailable' });
    await failing;
    expect(store.status()).toBe('failed');
    expect(store.groups()).toEqual([]);
    const again = store.load();
    http.expectOne(API_ROUTES.ringGroups).flush([]);
    await again;
    expect(store.status()).toBe('loaded');
  });
});
