import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type CallControlErrorBody } from '@switchboard/shared-contracts';
import { CALL_CONTROL_PORT } from '@switchboard/softphone-data-access-voice';
import { firstValueFrom } from 'rxjs';
import { CallControlApi, provideCallControlApi } from './call-control-api';

describe('CallControlApi', () => {
  let http: HttpTestingController;
  let api: CallControlApi;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideCallControlApi()] });
    http = TestBed.inject(HttpTestingController);
    api = TestBed.inject(CallControlApi);
  });

  afterEach(() => http.verify());

  it('is the voice state\'s call-control port once provided', () => {
    expect(TestBed.inject(CALL_CONTROL_PORT)).toBe(api);
  });

  it('posts each request to its route under the call, with the contract\'s bodies', async () => {
    const hold = firstValueFrom(api.hold('CA1', true));
    const holdRequest = http.expectOne({ method: 'POST', url: API_ROUTES.calls.hold('CA1') });
    expect(holdRequest.request.body).toEqual({ hold: true });
    holdRequest.flush({ callSid: 'CA1', held: true, heldSince: '2026-12-06T09:00:00.000Z' });
    await expect(hold).resolves.toMatchObject({ held: true });

    const transfer = firstValueFrom(api.transfer('CA1', { target: { kind: 'number', number: '+14155550111' }, mode: 'cold' }));
    const transferRequest = http.expectOne({ method: 'POST', url: '/api/calls/CA1/transfer' });
    expect(transferRequest.request.body).toEqual({ target: { kind: 'number', number: '+14155550111' }, mode: 'cold' });
    transferRequest.flush({ callSid: 'CA1', transferId: 'T1', mode: 'cold', status: 'ringing-target', targetDisplay: '+1 415 555 0111' });
    await expect(transfer).resolves.toMatchObject({ transferId: 'T1' });

    const consult = firstValueFrom(api.consult('CA1', 'three-way'));
    http.expectOne({ method: 'POST', url: '/api/calls/CA1/consult/three-way' }).flush({ callSid: 'CA1', action: 'three-way', participants: [] });
    await expect(consult).resolves.toMatchObject({ action: 'three-way' });

    const rejoin = firstValueFrom(api.rejoin('CA1'));
    http.expectOne({ method: 'POST', url: '/api/calls/CA1/rejoin' }).flush({ callSid: 'CA1', to: 'rejoin', params: {} });
    await expect(rejoin).resolves.toMatchObject({ to: 'rejoin' });

    const rejoinable = firstValueFrom(api.rejoinable());
    http.expectOne({ method: 'GET', url: API_ROUTES.calls.rejoinable }).flush({ calls: [] });
    await expect(rejoinable).resolves.toEqual({ calls: [] });

    const hangUp = firstValueFrom(api.hangUp('CA1'));
    http.expectOne({ method: 'POST', url: '/api/calls/CA1/hang-up' }).flush({ callSid: 'CA1', customerCallEnded: true });
    await expect(hangUp).resolves.toEqual({ callSid: 'CA1', customerCallEnded: true });

    const participants = firstValueFrom(api.participants('CA1'));
    http.expectOne({ method: 'GET', url: '/api/calls/CA1/participants' }).flush({ callSid: 'CA1', controllable: false, participants: [] });
    await expect(participants).resolves.toEqual({ callSid: 'CA1', controllable: false, participants: [] });
  });

  it.each([
    [403, 'not-a-participant', /no longer in this call/],
    [404, 'not-a-participant', /no longer in this call/],
    [410, 'call-gone', /already ended/],
    [409, 'target-unavailable', /Pick another agent/],
    [422, 'number-refused', /calling policy/],
    [429, 'call-cap', /Wait before/],
  ] as const)('maps %i to %s with the API\'s sentence and what to do', async (status, code, nextStep) => {
    const body: CallControlErrorBody = { statusCode: status, error: 'Refused', message: 'The API says why.', code };
    const result = firstValueFrom(api.hold('CA1', true));
    http.expectOne(API_ROUTES.calls.hold('CA1')).flush(body, { status, statusText: 'Refused' });
    await expect(result).rejects.toEqual({ code, message: 'The API says why.', nextStep: expect.stringMatching(nextStep) });
  });

  it('falls back on the status when the body has no code, and says "network" when the API was not reached', async () => {
    const gone = firstValueFrom(api.rejoin('CA1'));
    http.expectOne('/api/calls/CA1/rejoin').flush('gone', { status: 410, statusText: 'Gone' });
    await expect(gone).rejects.toMatchObject({ code: 'call-gone' });

    const offline = firstValueFrom(api.participants('CA1'));
    http.expectOne('/api/calls/CA1/participants').error(new ProgressEvent('error'), { status: 0 });
    await expect(offline).rejects.toMatchObject({ code: 'network', nextStep: expect.stringMatching(/network connection/) });
  });

  it('a rejoinable list that fails (the route is down) errors with a problem the voice state reads as nothing to offer', async () => {
    const result = firstValueFrom(api.rejoinable());
    http.expectOne(API_ROUTES.calls.rejoinable).flush({ message: 'down' }, { status: 503, statusText: 'Unavailable' });
    await expect(result).rejects.toMatchObject({ code: 'unknown', nextStep: expect.stringMatching(/Try again/) });
  });
});
