import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type LiveEvent } from '@switchboard/shared-contracts';
import { SessionStore } from '../session/session.store';
import { fakeEventSources } from './fake-event-source';
import { LIVE_EVENT_SOURCE_FACTORY, LIVE_EVENTS_WARN } from './live-event-source';
import { LiveEventsClient } from './live-events.client';

const hello: LiveEvent<'session.hello'> = {
  id: 'i-hello-1', type: 'session.hello', at: '2026-12-06T05:00:00.000Z',
  data: { identity: 'alice', displayName: 'Alice Adams', role: 'agent', instanceId: 'i', resumed: false },
};

describe('LiveEventsClient', () => {
  let sources: ReturnType<typeof fakeEventSources>;
  let http: HttpTestingController;

  beforeEach(() => {
    sources = fakeEventSources();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(), provideHttpClientTesting(),
        { provide: LIVE_EVENT_SOURCE_FACTORY, useValue: sources.factory },
        { provide: LIVE_EVENTS_WARN, useValue: () => undefined },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  async function signIn(): Promise<void> {
    const done = TestBed.inject(SessionStore).signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice Adams', role: 'agent' });
    await done;
    TestBed.tick();
  }

  async function signOut(): Promise<void> {
    const done = TestBed.inject(SessionStore).signOut();
    http.expectOne(API_ROUTES.auth.logout).flush({});
    await done;
    TestBed.tick();
  }

  it('opens nothing while signed out, one shared stream once signed in, and closes it on sign-out', async () => {
    const client = TestBed.inject(LiveEventsClient);
    const all: LiveEvent[] = [];
    const hellos: Array<LiveEvent<'session.hello'>> = [];
    client.events$.subscribe((event) => all.push(event));
    client.ofType('session.hello').subscribe((event) => hellos.push(event));
    TestBed.tick();
    expect(sources.opened).toHaveLength(0);

    await signIn();
    expect(sources.opened.map((s) => s.url)).toEqual(['/api/events']);
    sources.latest().deliver(JSON.stringify(hello));
    sources.latest().deliver(JSON.stringify({ ...hello, id: 'x', type: 'session.resync', data: { reason: 'unknown-last-event-id' } }));
    expect(all.map((e) => e.type)).toEqual(['session.hello', 'session.resync']);
    expect(hellos.map((e) => e.data.identity)).toEqual(['alice']);

    await signOut();
    expect(sources.latest().closed).toBe(true);
    await signIn();
    expect(sources.opened).toHaveLength(2);
    expect(sources.latest().closed).toBe(false);
  });

  it('closes the stream when the last subscriber leaves', async () => {
    const client = TestBed.inject(LiveEventsClient);
    await signIn();
    const subscription = client.events$.subscribe();
    TestBed.tick();
    expect(sources.opened).toHaveLength(1);
    subscription.unsubscribe();
    expect(sources.latest().closed).toBe(true);
  });
});
