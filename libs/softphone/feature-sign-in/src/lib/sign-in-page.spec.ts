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
import { SignInPage } from './sign-in-page';

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

  afterEach(() => http.verify());

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
    expect(listener.signedIn).toHaveBeenCalledWith({ identity: 'alice', displayName: 'Alice', role: 'agent' });
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
});
