import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { AgentDirectoryStore } from './agent-directory.store';

describe('AgentDirectoryStore', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('loads the directory once for every screen that injects it', async () => {
    const store = TestBed.inject(AgentDirectoryStore);
    await Promise.resolve();
    http.expectOne(API_ROUTES.agents).flush([{ identity: 'bob', displayName: 'Bob Brown' }]);
    await TestBed.inject(AgentDirectoryStore).load();
    await Promise.resolve();
    expect(store.agents()).toEqual([{ identity: 'bob', displayName: 'Bob Brown' }]);
    expect(store.status()).toBe('loaded');
  });

  it('keeps an empty directory when the API fails, and tries again on the next load', async () => {
    const store = TestBed.inject(AgentDirectoryStore);
    http.expectOne(API_ROUTES.agents).flush({ message: 'down' }, { status: 503, statusText: 'Unavailable' });
    await Promise.resolve();
    await Promise.resolve();
    expect(store.status()).toBe('failed');
    expect(store.agents()).toEqual([]);
    const again = store.load();
    http.expectOne(API_ROUTES.agents).flush([]);
    await again;
    expect(store.status()).toBe('loaded');
  });
});
