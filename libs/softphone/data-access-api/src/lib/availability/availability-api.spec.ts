import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type PresenceReport } from '@switchboard/shared-contracts';
import { AVAILABILITY_LIVE_EVENTS_PORT, AVAILABILITY_PORT, PRESENCE_PORT } from '@switchboard/softphone-data-access-availability';
import { firstValueFrom } from 'rxjs';
import { AvailabilityApi, PresenceApi, provideAvailabilityApi } from './availability-api';
import { AvailabilityLiveEventsOverSse } from './availability-live-events';

describe('AvailabilityApi and PresenceApi', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideAvailabilityApi()] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('are the availability slice\'s ports once provided', () => {
    expect(TestBed.inject(AVAILABILITY_PORT)).toBe(TestBed.inject(AvailabilityApi));
    expect(TestBed.inject(PRESENCE_PORT)).toBe(TestBed.inject(PresenceApi));
    expect(TestBed.inject(AVAILABILITY_LIVE_EVENTS_PORT)).toBe(TestBed.inject(AvailabilityLiveEventsOverSse));
  });

  it('gets and puts the agent\'s own availability and reads its history', async () => {
    const api = TestBed.inject(AvailabilityApi);
    const loaded = firstValueFrom(api.load());
    http.expectOne({ method: 'GET', url: API_ROUTES.availability }).flush({ availability: { state: 'offline' }, awayReasons: [], dispositionCodes: [], wrapUpSeconds: 0 });
    await expect(loaded).resolves.toMatchObject({ availability: { state: 'offline' } });

    const chosen = firstValueFrom(api.choose({ state: 'away', reason: 'break' }));
    const put = http.expectOne({ method: 'PUT', url: API_ROUTES.availability });
    expect(put.request.body).toEqual({ state: 'away', reason: 'break' });
    put.flush({ identity: 'bob', state: 'away', reason: 'break', since: '2026-12-06T10:00:00.000Z' });
    await expect(chosen).resolves.toMatchObject({ state: 'away' });

    const history = firstValueFrom(api.history(20));
    http.expectOne({ method: 'GET', url: `${API_ROUTES.availabilityHistory}?limit=20` }).flush({ changes: [] });
    await expect(history).resolves.toEqual({ changes: [] });
  });

  it.each([
    [409, /Wait for the current call or wrap-up/],
    [400, /Check your choice/],
    [0, /network connection/],
  ])('turns a %i into the API\'s sentence and what to do', async (status, nextStep) => {
    const result = firstValueFrom(TestBed.inject(AvailabilityApi).choose({ state: 'available' }));
    const request = http.expectOne(API_ROUTES.availability);
    if (status === 0) request.error(new ProgressEvent('error'), { status: 0 });
    else request.flush({ statusCode: status, error: 'Refused', message: 'The API says why.' }, { status, statusText: 'Refused' });
    await expect(result).rejects.toEqual({ message: status === 0 ? expect.any(String) : 'The API says why.', nextStep: expect.stringMatching(nextStep) });
  });

  it('puts a presence report, and sends the keepalive one as fetch with keepalive', async () => {
    const presence = TestBed.inject(PresenceApi);
    const report: PresenceReport = { tabId: 'tab-12345', device: 'registered', lifecycle: 'active' };
    const answered = firstValueFrom(presence.report(report));
    const put = http.expectOne({ method: 'PUT', url: API_ROUTES.presence });
    expect(put.request.body).toEqual(report);
    put.flush({ identity: 'bob', reachable: true, reason: null, since: '2026-12-06T10:00:00.000Z' });
    await expect(answered).resolves.toMatchObject({ reachable: true });

    const sent: [string, RequestInit][] = [];
    presence.fetchForKeepalive = (url, init) => {
      sent.push([url, init]);
      return Promise.reject(new Error('offline'));
    };
    presence.reportBeforeLeaving({ ...report, lifecycle: 'frozen' });
    expect(sent).toEqual([[API_ROUTES.presence, expect.objectContaining({ method: 'PUT', keepalive: true, body: JSON.stringify({ ...report, lifecycle: 'frozen' }) })]]);
  });
});
