import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { SESSION_LISTENER, SessionStore } from '@switchboard/softphone-data-access-api';
import { SIGN_IN_OPEN_AGAIN_MESSAGE, SignInPage, waitText } from './sign-in-page';

@Component({ template: 'history page' })
class HistoryStub {}

describe('SignInPage', () => {
  let http: HttpTestingController;
  const listener = { signedIn: jest.fn(), signedOut: jest.fn() };

  beforeEach(() => {
    listener.signedIn.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'sign-in', component: SignInPage },
          { path: 'history', component: HistoryStub },
        ]),
        { provide: SESSION_LISTENER, useValue: listener },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  /** Submits the form and returns the sign-in request the page started, to await its outcome. */
  async function fillAndSubmit(harness: RouterTestingHarness, password: string): Promise<() => Promise<boolean>> {
    const signIn = jest.spyOn(TestBed.inject(SessionStore), 'signIn');
    const loader = TestbedHarnessEnvironment.loader(harness.fixture);
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=sign-in-identity]' }))).setValue('alice');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=sign-in-password]' }))).setValue(password);
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }))).click();
    expect(signIn).toHaveBeenCalledTimes(1);
    return () => signIn.mock.results[0].value as Promise<boolean>;
  }

  it('signs in, tells the phone to connect and goes back where the agent was heading', async () => {
    const harness = await RouterTestingHarness.create('/sign-in?returnUrl=%2Fhistory');
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl');
    const outcome = await fillAndSubmit(harness, 'pw');
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice', role: 'agent' });
    await expect(outcome()).resolves.toBe(true);
    await navigate.mock.results[0].value;
    // No voiceToken in this answer (an API that sends none): the phone will ask the token route itself.
    expect(listener.signedIn).toHaveBeenCalledWith({ identity: 'alice', displayName: 'Alice', role: 'agent' }, undefined);
    expect(TestBed.inject(Router).url).toBe('/history');
  });

  it('ignores a return URL that leaves the app', async () => {
    const harness = await RouterTestingHarness.create('/sign-in?returnUrl=https%3A%2F%2Fevil.example');
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const outcome = await fillAndSubmit(harness, 'pw');
    http.expectOne(API_ROUTES.auth.login).flush({ identity: 'alice', displayName: 'Alice', role: 'agent' });
    await outcome();
    await harness.fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('stays on the page and shows the error when the password is wrong', async () => {
    const harness = await RouterTestingHarness.create('/sign-in');
    const outcome = await fillAndSubmit(harness, 'wrong');
    http.expectOne(API_ROUTES.auth.login).flush(
      { statusCode: 401, error: 'Unauthorized', message: 'Wrong identity or password.' },
      { status: 401, statusText: 'Unauthorized' },
    );
    await expect(outcome()).resolves.toBe(false);
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement?.querySelector('[data-testid=sign-in-error]')?.textContent).toContain(
      'Wrong identity or password.',
    );
    expect(TestBed.inject(Router).url).toBe('/sign-in');
    expect(listener.signedIn).not.toHaveBeenCalled();
  });

  describe('after too many attempts (429)', () => {
    const tooMany = (retryAfter: string) => http.expectOne(API_ROUTES.auth.login).flush(
      { statusCode: 429, error: 'Too Many Requests', message: 'Too many failed sign-ins; try again later' },
      { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': retryAfter } },
    );
    const page = (harness: RouterTestingHarness) => harness.routeNativeElement as HTMLElement;
    const throttled = (harness: RouterTestingHarness) => page(harness).querySelector('[data-testid=sign-in-throttled]');
    const throttledText = (harness: RouterTestingHarness) => throttled(harness)?.querySelector('span')?.textContent?.trim();

    it('says how long to wait, disables Sign in, counts down and announces the start and the end', async () => {
      // Fake timers that still move with real time, so the harness's own waits keep working.
      jest.useFakeTimers({ advanceTimers: true });
      const announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
      const harness = await RouterTestingHarness.create('/sign-in');
      const outcome = await fillAndSubmit(harness, 'guess');
      tooMany('90');
      await expect(outcome()).resolves.toBe(false);
      await harness.fixture.whenStable();

      expect(throttledText(harness)).toBe('Too many sign-in attempts. Try again in 2 minutes.');
      expect(throttled(harness)?.getAttribute('aria-live')).toBeNull(); // the announcer speaks; the ticking text does not
      expect(page(harness).querySelector('[data-testid=sign-in-error]')).toBeNull();
      expect(announce).toHaveBeenCalledWith('Too many sign-in attempts. Try again in 2 minutes.', 'assertive');
      const loader = TestbedHarnessEnvironment.loader(harness.fixture);
      const submit = await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }));
      expect(await submit.isDisabled()).toBe(true);

      await jest.advanceTimersByTimeAsync(60_000);
      await harness.fixture.whenStable();
      expect(Number(throttled(harness)?.getAttribute('data-retry-in'))).toBeLessThanOrEqual(30);
      expect(throttledText(harness)).toMatch(/Try again in \d+ seconds?\.$/);
      expect(await submit.isDisabled()).toBe(true);
      expect(announce).toHaveBeenCalledTimes(1); // no chatter while counting down

      await jest.advanceTimersByTimeAsync(31_000);
      await harness.fixture.whenStable();
      expect(throttled(harness)).toBeNull();
      expect(await submit.isDisabled()).toBe(false);
      expect(announce).toHaveBeenLastCalledWith(SIGN_IN_OPEN_AGAIN_MESSAGE, 'polite');
      expect(announce).toHaveBeenCalledTimes(2);
      expect(page(harness).querySelector('[data-testid=sign-in-error]')).toBeNull();
    });

    it('still shows a server or network failure as an error, with Sign in enabled', async () => {
      const harness = await RouterTestingHarness.create('/sign-in');
      const first = await fillAndSubmit(harness, 'pw');
      http.expectOne(API_ROUTES.auth.login).flush('<html>', { status: 503, statusText: 'Service Unavailable' });
      await first();
      await harness.fixture.whenStable();
      expect(page(harness).querySelector('[data-testid=sign-in-error]')?.textContent).toMatch(/server had a problem/i);
      expect(throttled(harness)).toBeNull();
      const loader = TestbedHarnessEnvironment.loader(harness.fixture);
      await (await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }))).click();
      const signIn = jest.mocked(TestBed.inject(SessionStore).signIn);
      expect(signIn).toHaveBeenCalledTimes(2);
      http.expectOne(API_ROUTES.auth.login).error(new ProgressEvent('error'), { status: 0 });
      await signIn.mock.results[1].value;
      await harness.fixture.whenStable();
      expect(page(harness).querySelector('[data-testid=sign-in-error]')?.textContent).toMatch(/cannot reach/i);
    });
  });

  it('words the wait in minutes (rounded up) or seconds', () => {
    expect(waitText(900)).toBe('15 minutes');
    expect(waitText(61)).toBe('2 minutes');
    expect(waitText(60)).toBe('1 minute');
    expect(waitText(59)).toBe('59 seconds');
    expect(waitText(1)).toBe('1 second');
  });
});
