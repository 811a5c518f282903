import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type CallRecord, type Page } from '@switchboard/shared-contracts';
import { firstValueFrom } from 'rxjs';
import { AgentsApi, AuthApi, CallsApi, ClientConfigApi, VoicemailsApi, VoiceTokenApi } from './switchboard-api';

describe('Switchboard API clients', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('posts credentials to the login route and returns the profile', async () => {
    const result = firstValueFrom(TestBed.inject(AuthApi).login({ identity: 'alice', password: 'pw' }));
    const request = http.expectOne(API_ROUTES.auth.login);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ identity: 'alice', password: 'pw' });
    request.flush({ identity: 'alice', displayName: 'Alice', role: 'agent' });
    await expect(result).resolves.toEqual({ identity: 'alice', displayName: 'Alice', role: 'agent' });
  });

  it('logs out with a POST and completes with nothing', async () => {
    const result = firstValueFrom(TestBed.inject(AuthApi).logout());
    const request = http.expectOne(API_ROUTES.auth.logout);
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await expect(result).resolves.toBeUndefined();
  });

  it('asks who the session belongs to with GET me', async () => {
    const result = firstValueFrom(TestBed.inject(AuthApi).me());
    http.expectOne({ method: 'GET', url: API_ROUTES.auth.me }).flush({ identity: 'bob', displayName: 'Bob', role: 'supervisor' });
    await expect(result).resolves.toMatchObject({ identity: 'bob' });
  });

  it('requests a voice token without sending any identity', async () => {
    const result = firstValueFrom(TestBed.inject(VoiceTokenApi).fetchToken());
    const request = http.expectOne(API_ROUTES.voice.token);
    expect(request.request.method).toBe('POST');
    expect(JSON.stringify(request.request.body)).not.toContain('identity');
    request.flush({ token: 'jwt', identity: 'alice', expiresAt: '2026-11-24T12:00:00.000Z' });
    await expect(result).resolves.toMatchObject({ token: 'jwt' });
  });

  it('reads the public client config and the agent directory', async () => {
    const config = firstValueFrom(TestBed.inject(ClientConfigApi).load());
    http.expectOne({ method: 'GET', url: API_ROUTES.clientConfig }).flush({
      mode: 'sandbox', sandboxSignalingHost: 'localhost:8443', sandboxOrigin: 'https://localhost:8443',
      edge: ['roaming'], logLevel: 'warn', tokenRefreshMs: 30000,
    });
    await expect(config).resolves.toMatchObject({ mode: 'sandbox' });

    const agents = firstValueFrom(TestBed.inject(AgentsApi).directory());
    http.expectOne({ method: 'GET', url: API_ROUTES.agents }).flush([{ identity: 'bob', displayName: 'Bob' }]);
    await expect(agents).resolves.toEqual([{ identity: 'bob', displayName: 'Bob' }]);
  });

  it('pages the call history with page and pageSize query parameters', async () => {
    const page: Page<CallRecord> = { items: [], page: 2, pageSize: 10, total: 11 };
    const result = firstValueFrom(TestBed.inject(CallsApi).list({ page: 2, pageSize: 10 }));
    const request = http.expectOne((r) => r.url === API_ROUTES.calls.list);
    expect(request.request.params.get('page')).toBe('2');
    expect(request.request.params.get('pageSize')).toBe('10');
    request.flush(page);
    await expect(result).resolves.toEqual(page);
  });

  it('lists voicemails, marks one heard with PATCH and builds an escaped audio URL', async () => {
    const api = TestBed.inject(VoicemailsApi);
    const list = firstValueFrom(api.list());
    http.expectOne(API_ROUTES.voicemails.list).flush({ items: [], unheard: 0 });
    await expect(list).resolves.toEqual({ items: [], unheard: 0 });

    const marked = firstValueFrom(api.markHeard('vm 1'));
    const request = http.expectOne('/api/voicemails/vm%201');
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ heard: true });
    request.flush({ id: 'vm 1', heard: true });
    await expect(marked).resolves.toMatchObject({ heard: true });

    expect(api.audioUrl('a/b')).toBe('/api/voicemails/a%2Fb/audio');
  });
});
