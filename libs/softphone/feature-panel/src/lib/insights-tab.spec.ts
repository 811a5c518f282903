import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { API_ROUTES, type AgentProfile } from '@switchboard/shared-contracts';
import { SessionStore } from '@switchboard/softphone-data-access-api';
import { initialOwnAvailabilityState } from '@switchboard/softphone-data-access-availability';
import { connectionFeature, initialCallControlState, selectCallControlView, selectSoftphoneViewModel, toCallControlView } from '@switchboard/softphone-data-access-voice';
import { SoftphoneShell } from './softphone-shell';
import { idleViewModel } from './testing-fixtures';

describe('SoftphoneShell: the Insights tab (issue 14)', () => {
  const agent = signal<AgentProfile | null>(null);

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideMockStore({ initialState: { availability: initialOwnAvailabilityState } }), provideHttpClient(), provideHttpClientTesting(), provideRouter([]),
        // Only who is signed in matters here; the shell reads nothing else of the session before a click.
        { provide: SessionStore, useValue: { agent, signOut: jest.fn() } },
      ],
    });
    const store = TestBed.inject(MockStore);
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel());
    store.overrideSelector(connectionFeature.selectRetry, null);
    store.overrideSelector(selectCallControlView, toCallControlView(initialCallControlState));
  });

  async function tabs(profile: AgentProfile) {
    agent.set(profile);
    const fixture = TestBed.createComponent(SoftphoneShell);
    const http = TestBed.inject(HttpTestingController);
    http.match(API_ROUTES.voicemails.list).forEach((r) => r.flush({ items: [], unheard: 0 }));
    http.match(API_ROUTES.agents).forEach((r) => r.flush([]));
    await fixture.whenStable();
    return [...(fixture.nativeElement as HTMLElement).querySelectorAll('nav a')].map((a) => a.getAttribute('data-testid'));
  }

  it('shows Insights beside Floor to supervisors only', async () => {
    expect(await tabs({ identity: 'sam', displayName: 'Sam', role: 'supervisor' })).toEqual(['nav-phone', 'nav-history', 'nav-settings', 'nav-floor', 'nav-insights']);
  });

  it('hides it from agents', async () => {
    expect(await tabs({ identity: 'alice', displayName: 'Alice', role: 'agent' })).toEqual(['nav-phone', 'nav-history', 'nav-settings']);
  });
});
