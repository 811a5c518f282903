import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatFormFieldHarness } from '@angular/material/form-field/testing';
import type { LoginRequest } from '@switchboard/shared-contracts';
import { SignInForm } from './sign-in-form';

describe('SignInForm', () => {
  async function setup() {
    const fixture = TestBed.createComponent(SignInForm);
    const submitted: LoginRequest[] = [];
    fixture.componentInstance.submitted.subscribe((value) => submitted.push(value));
    const loader = TestbedHarnessEnvironment.loader(fixture);
    await fixture.whenStable();
    return { fixture, loader, submitted };
  }

  it('submits the trimmed identity and the password', async () => {
    const { loader, submitted } = await setup();
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=sign-in-identity]' }))).setValue(' alice ');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=sign-in-password]' }))).setValue('s3cret');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }))).click();
    expect(submitted).toEqual([{ identity: 'alice', password: 's3cret' }]);
  });

  it('refuses to submit empty fields and says what is missing', async () => {
    const { loader, submitted } = await setup();
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }))).click();
    expect(submitted).toEqual([]);
    const identityField = await loader.getHarness(MatFormFieldHarness.with({ floatingLabelText: 'Identity' }));
    expect(await identityField.getTextErrors()).toEqual(['Enter your identity, for example alice.']);
  });

  it('shows the API error as an alert and blocks a second submit while busy', async () => {
    const { fixture, loader, submitted } = await setup();
    fixture.componentRef.setInput('error', { statusCode: 401, error: 'Unauthorized', message: 'Wrong identity or password.' });
    fixture.componentRef.setInput('busy', true);
    await fixture.whenStable();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role=alert]');
    expect(alert?.textContent).toContain('Wrong identity or password.');
    const button = await loader.getHarness(MatButtonHarness.with({ text: 'Signing in…' }));
    expect(await button.isDisabled()).toBe(true);
    expect(await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=sign-in-identity]' }))).isDisabled()).toBe(true);
    expect(submitted).toEqual([]);
  });

  it('keeps the submit button disabled while blocked, with the fields still editable', async () => {
    const { fixture, loader, submitted } = await setup();
    fixture.componentRef.setInput('blocked', true);
    await fixture.whenStable();
    const identity = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=sign-in-identity]' }));
    expect(await identity.isDisabled()).toBe(false);
    await identity.setValue('alice');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=sign-in-password]' }))).setValue('pw');
    const button = await loader.getHarness(MatButtonHarness.with({ text: 'Sign in' }));
    expect(await button.isDisabled()).toBe(true);
    (fixture.nativeElement as HTMLElement).querySelector('form')?.dispatchEvent(new Event('submit'));
    expect(submitted).toEqual([]);
    fixture.componentRef.setInput('blocked', false);
    await fixture.whenStable();
    await button.click();
    expect(submitted).toEqual([{ identity: 'alice', password: 'pw' }]);
  });
});
