import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type CallParticipantsEvent, type LiveEvent } from '@switchboard/shared-contracts';
import { CALL_LIVE_EVENTS_PORT, type CallLiveEvent } from '@switchboard/softphone-data-access-voice';
import { fakeEventSources } from '../live-events/fake-event-source';
import { LIVE_EVENT_SOURCE_FACTORY, LIVE_EVENTS_WARN } from '../live-events/live-event-source';
import { SessionStore } from '../session/session.store';
import { provideCallControlApi } from './call-control-api';

const participants: CallParticipantsEvent = { callSid: 'CA1', controllable: true, participants: [] };
const frame = (id: string, type: string, data: unknown) => JSON.stringify({ id, type, at: '2026-12-06T05:00:00.000Z', data });

describe('CallLiveEventsOverSse (CALL_LIVE_EVENTS_PORT)', () => {
  it('passes on the call-control events of the signed-in stream, and nothing else', async () => {
    const sources = fakeEventSources();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(), provideHttpClientTesting(), provideCallControlApi(),
        { provide: LIVE_EVENT_SOURCE_FACTORY, useValue: sources.factory },
        { provide: LIVE_EVENTS_WARN, useValue: () => undefined },
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    const seen: CallLiveEvent[] = [];
    let opened = 0;
    TestBed.inject(CALL_LIVE_EVENTS_PORT).callEvents().subscribe((event) => seen.push(event));
    TestBed.inject(CALL_LIVE_EVENTS_PORT).streamOpened().subscribe(() => (opened += 1));
    TestBed.tick();
    expect(sources.opened).toHaveLength(0);

    const signedIn = TestBed.inject(SessionStore).signIn({ identity: 'bob', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'bob', displayName: 'Bob Brown', role: 'agent' });
    await signedIn;
    TestBed.tick();
    expect(sources.opened).toHaveLength(1);

    const source = sources.latest();
    source.deliver(frame('i-1', 'session.hello', { identity: 'bob', displayName: 'Bob Brown', role: 'agent', instanceId: 'i', resumed: false }));
    source.deliver(frame('i-2', 'call.participants', participants));
    source.deliver(frame('i-3', 'agent.presence', { identity: 'alice' }));
    source.deliver(frame('i-4', 'call.transfer', { callSid: 'CA1', transferId: 'T1', mode: 'cold', status: 'no-answer', targetDisplay: 'Alice' }));
    source.deliver(frame('i-4b', 'call.far-end', { callSid: 'CA1', state: 'ringing' }));
    expect(seen.map((event) => event.type)).toEqual(['call.participants', 'call.transfer', 'call.far-end']);
    expect((seen[0] as LiveEvent<'call.participants'>).data).toEqual(participants);
    // Every (re)opened stream starts with its hello: the slice asks for the calls to rejoin again.
    expect(opened).toBe(1);
    source.deliver(frame('i-5', 'session.hello', { identity: 'bob', displayName: 'Bob Brown', role: 'agent', instanceId: 'j', resumed: true }));
    expect(opened).toBe(2);
    source.deliver(frame('i-6', 'session.resync', { reason: 'unknown-last-event-id' }));
    expect(opened).toBe(3);
    http.verify();
  });
});
