import { provideHttpClient, withInterceptors, HttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, UrlTree } from '@angular/router';
import { API_ROUTES, type AgentProfile } from '@switchboard/shared-contracts';
import { firstValueFrom } from 'rxjs';
import { SESSION_LISTENER, type SessionListener } from './session-listener';
import { sessionExpiryInterceptor } from './session-expiry.interceptor';
import { safeReturnUrl, signedInGuard, signedOutGuard } from './session.guards';
import { SessionStore } from './session.store';

const alice: AgentProfile = { identity: 'alice', displayName: 'Alice Agent', role: 'agent' };

describe('SessionStore', () => {
  let http: HttpTestingController;
  let listener: { signingIn: jest.Mock; signInFailed: jest.Mock; signedIn: jest.Mock; signedOut: jest.Mock };

  beforeEach(() => {
    listener = { signingIn: jest.fn(), signInFailed: jest.fn(), signedIn: jest.fn(), signedOut: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([sessionExpiryInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: SESSION_LISTENER, useValue: listener satisfies SessionListener },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('signs in, exposes the agent and tells the listener (so the phone connects)', async () => {
    const store = TestBed.inject(SessionStore);
    const result = store.signIn({ identity: 'alice', password: 'secret' });
    expect(store.status()).toBe('signing-in');
    expect(store.isBusy()).toBe(true);
    http.expectOne(API_ROUTES.auth.login).flush(alice);
    await expect(result).resolves.toBe(true);
    expect(store.agent()).toEqual(alice);
    expect(store.isSignedIn()).toBe(true);
    expect(listener.signedIn).toHaveBeenCalledWith(alice, undefined);
  });

  it("hands the sign-in answer's voice token to the listener, keeping it out of the session state", async () => {
    const store = TestBed.inject(SessionStore);
    const voiceToken = { token: 'jwt', identity: 'alice', expiresAt: '2026-11-24T13:00:00.000Z' };
    const result = store.signIn({ identity: 'alice', password: 'secret' });
    http.expectOne(API_ROUTES.auth.login).flush({ ...alice, voiceToken });
    await expect(result).resolves.toBe(true);
    expect(store.agent()).toEqual(alice);
    expect(listener.signedIn).toHaveBeenCalledWith(alice, voiceToken);
  });

  it('tells the listener at the click, before the answer, so the microphone question runs beside the request', async () => {
    const store = TestBed.inject(SessionStore);
    const result = store.signIn({ identity: 'alice', password: 'secret' });
    expect(listener.signingIn).toHaveBeenCalledTimes(1);
    expect(listener.signedIn).not.toHaveBeenCalled();
    http.expectOne(API_ROUTES.auth.login).flush(alice);
    await expect(result).resolves.toBe(true);
    expect(listener.signInFailed).not.toHaveBeenCalled();
  });

  it('a refused or failed sign-in tells the listener, so an early microphone answer is dropped', async () => {
    const store = TestBed.inject(SessionStore);
    const refused = store.signIn({ identity: 'alice', password: 'nope' });
    http.expectOne(API_ROUTES.auth.login).flush({ statusCode: 401, error: 'Unauthorized', message: 'Wrong.' }, { status: 401, statusText: 'Unauthorized' });
    await expect(refused).resolves.toBe(false);
    expect(listener.signInFailed).toHaveBeenCalledTimes(1);
    const offline = store.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).error(new ProgressEvent('error'));
    await expect(offline).resolves.toBe(false);
    expect(listener.signInFailed).toHaveBeenCalledTimes(2);
  });

  it('keeps the API error and stays signed out when credentials are wrong', async () => {
    const store = TestBed.inject(SessionStore);
    const result = store.signIn({ identity: 'alice', password: 'nope' });
    http.expectOne(API_ROUTES.auth.login).flush(
      { statusCode: 401, error: 'Unauthorized', message: 'Wrong identity or password.' },
      { status: 401, statusText: 'Unauthorized' },
    );
    await expect(result).resolves.toBe(false);
    expect(store.status()).toBe('signed-out');
    expect(store.error()?.message).toBe('Wrong identity or password.');
    expect(listener.signedIn).not.toHaveBeenCalled();
  });

  it('keeps when a 429 lets sign-in be tried again, from Retry-After, and forgets it on the next attempt', async () => {
    const store = TestBed.inject(SessionStore);
    const before = Date.now();
    const refused = store.signIn({ identity: 'alice', password: 'guess' });
    http.expectOne(API_ROUTES.auth.login).flush(
      { statusCode: 429, error: 'Too Many Requests', message: 'Too many failed sign-ins; try again later' },
      { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '120' } },
    );
    await expect(refused).resolves.toBe(false);
    expect(store.status()).toBe('signed-out');
    expect(store.error()?.statusCode).toBe(429);
    expect(store.signInRetryAt()).toBeGreaterThanOrEqual(before + 120_000);
    expect(store.signInRetryAt()).toBeLessThanOrEqual(Date.now() + 120_000);

    const again = store.signIn({ identity: 'alice', password: 'secret' });
    expect(store.signInRetryAt()).toBeNull();
    http.expectOne(API_ROUTES.auth.login).flush(alice);
    await expect(again).resolves.toBe(true);
  });

  it('waits a minute on a 429 without Retry-After, and keeps no wait for a 5xx or a network failure', async () => {
    const store = TestBed.inject(SessionStore);
    const before = Date.now();
    const noHeader = store.signIn({ identity: 'alice', password: 'guess' });
    http.expectOne(API_ROUTES.auth.login).flush('slow down', { status: 429, statusText: 'Too Many Requests' });
    await noHeader;
    expect(store.signInRetryAt()).toBeGreaterThanOrEqual(before + 60_000);

    const serverError = store.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush('<html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Retry-After': '30' } });
    await serverError;
    expect(store.signInRetryAt()).toBeNull();
    expect(store.error()?.message).toMatch(/server had a problem/i);

    const offline = store.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).error(new ProgressEvent('error'), { status: 0 });
    await offline;
    expect(store.signInRetryAt()).toBeNull();
    expect(store.error()?.message).toMatch(/cannot reach/i);
  });

  it('restores from the cookie once, then answers from state', async () => {
    const store = TestBed.inject(SessionStore);
    const first = store.restore();
    http.expectOne(API_ROUTES.auth.me).flush(alice);
    await expect(first).resolves.toBe(true);
    await expect(store.restore()).resolves.toBe(true);
    http.expectNone(API_ROUTES.auth.me);
  });

  it('treats 401 on restore as "not signed in" without an error, but reports an unreachable server', async () => {
    const store = TestBed.inject(SessionStore);
    const result = store.restore();
    http.expectOne(API_ROUTES.auth.me).flush({ statusCode: 401, error: 'Unauthorized', message: 'x' }, { status: 401, statusText: 'Unauthorized' });
    await expect(result).resolves.toBe(false);
    expect(store.error()).toBeNull();
    expect(store.status()).toBe('signed-out');
  });

  it('reports a network failure on restore', async () => {
    const store = TestBed.inject(SessionStore);
    const result = store.restore();
    http.expectOne(API_ROUTES.auth.me).error(new ProgressEvent('error'), { status: 0 });
    await expect(result).resolves.toBe(false);
    expect(store.error()?.message).toMatch(/cannot reach/i);
  });

  it('signs out even when the logout request fails, and tells the listener', async () => {
    const store = TestBed.inject(SessionStore);
    const signIn = store.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush(alice);
    await signIn;
    const signOut = store.signOut();
    http.expectOne(API_ROUTES.auth.logout).flush('down', { status: 500, statusText: 'Server Error' });
    await signOut;
    expect(store.status()).toBe('signed-out');
    expect(store.agent()).toBeNull();
    expect(listener.signedOut).toHaveBeenCalledTimes(1);
  });

  it('moves to signed-out with a message when another API call answers 401', async () => {
    const store = TestBed.inject(SessionStore);
    const signIn = store.signIn({ identity: 'alice', password: 'pw' });
    http.expectOne(API_ROUTES.auth.login).flush(alice);
    await signIn;

    const call = firstValueFrom(TestBed.inject(HttpClient).get(API_ROUTES.voicemails.list)).catch(() => 'failed');
    http.expectOne(API_ROUTES.voicemails.list).flush({}, { status: 401, statusText: 'Unauthorized' });
    await expect(call).resolves.toBe('failed');
    expect(store.status()).toBe('signed-out');
    expect(store.error()?.message).toMatch(/session has ended/i);
    expect(listener.signedOut).toHaveBeenCalledTimes(1);
  });
});

describe('session guards', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
  });

  it('sends an anonymous visitor to sign-in with the page to come back to', async () => {
    const verdict = TestBed.runInInjectionContext(() =>
      signedInGuard({} as never, { url: '/history?tab=voicemail' } as never),
    ) as Promise<boolean | UrlTree>;
    http.expectOne(API_ROUTES.auth.me).flush({}, { status: 401, statusText: 'Unauthorized' });
    const tree = await verdict;
    expect(tree).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(tree as UrlTree)).toBe('/sign-in?returnUrl=%2Fhistory%3Ftab%3Dvoicemail');
  });

  it('lets a signed-in agent through and keeps them off the sign-in page', async () => {
    const verdict = TestBed.runInInjectionContext(() => signedInGuard({} as never, { url: '/' } as never)) as Promise<boolean | UrlTree>;
    http.expectOne(API_ROUTES.auth.me).flush(alice);
    await expect(verdict).resolves.toBe(true);
    const signInVerdict = (await TestBed.runInInjectionContext(() => signedOutGuard({} as never, {} as never))) as UrlTree;
    expect(TestBed.inject(Router).serializeUrl(signInVerdict)).toBe('/');
  });

  it('accepts only same-app return URLs', () => {
    expect(safeReturnUrl('/settings')).toBe('/settings');
    expect(safeReturnUrl('https://evil.example')).toBe('/');
    expect(safeReturnUrl('//evil.example')).toBe('/');
    expect(safeReturnUrl('/\\evil.example')).toBe('/');
    expect(safeReturnUrl('/sign-in?returnUrl=/')).toBe('/');
    expect(safeReturnUrl(null)).toBe('/');
  });
});
