import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { ConnectionBadgeHarness } from '../testing/softphone-harnesses';
import { describeAppError, describeVoiceError } from '@switchboard/shared-voice-model';
import { ConnectionBadge, describeConnection } from './connection-badge';

const base = { isSigningIn: false, isRetrying: false, error: null, nextRetryAt: null, now: 1_000_000 };

describe('describeConnection', () => {
  it('says signing in before anything else', () => {
    expect(describeConnection({ ...base, phase: 'signed-out', isSigningIn: true }).label).toBe('Signing in…');
  });

  it('says connecting on the first registration, and offline+retrying on a retry', () => {
    expect(describeConnection({ ...base, phase: 'registering' }).label).toBe('Connecting…');
    const again = describeConnection({ ...base, phase: 'registering', isRetrying: true, nextRetryAt: 1_012_000 });
    expect(again.label).toBe('Offline · Retrying in 12 s');
    expect(again.tone).toBe('warn');
  });

  it('is online only when registered', () => {
    for (const phase of ['signed-out', 'fetching-token', 'registering', 'unregistered', 'error', 'destroyed', 'standby'] as const) {
      expect(describeConnection({ ...base, phase }).label).not.toBe('Online');
    }
    expect(describeConnection({ ...base, phase: 'registered' })).toMatchObject({ label: 'Online', tone: 'ok' });
  });

  it('says when another tab of the browser has the phone, and how to take it here', () => {
    const view = describeConnection({ ...base, phase: 'standby' });
    expect(view).toMatchObject({ label: 'In another tab', tone: 'neutral' });
    expect(view.detail).toContain('Use this tab');
  });

  it('shows offline with the time to the next retry, and "retrying now" once it is due', () => {
    expect(describeConnection({ ...base, phase: 'unregistered', nextRetryAt: 1_004_500 }).label).toBe('Offline · Retrying in 5 s');
    expect(describeConnection({ ...base, phase: 'unregistered', nextRetryAt: 999_000 }).label).toBe('Offline · Retrying now…');
  });

  it('for an error a human must fix, names the code and says what to do', () => {
    const view = describeConnection({ ...base, phase: 'error', error: describeVoiceError(31201) });
    expect(view.label).toBe('Error 31201');
    expect(view.tone).toBe('error');
    expect(view.detail).toContain('administrator');
  });

  it('treats an automatically retried error as offline and retrying, with the reason', () => {
    const view = describeConnection({ ...base, phase: 'error', error: describeAppError('TokenFetchFailed'), nextRetryAt: 1_003_000 });
    expect(view.label).toBe('Offline · Retrying in 3 s');
    expect(view.detail).toContain('Could not get a voice sign-in token');
  });
});

describe('ConnectionBadge', () => {
  it('renders the state on the chip with the detail for screen readers', async () => {
    const fixture = TestBed.createComponent(ConnectionBadge);
    fixture.componentRef.setInput('phase', 'error');
    fixture.componentRef.setInput('error', describeVoiceError(31401));
    fixture.componentRef.setInput('showDetail', true);
    const badge = await TestbedHarnessEnvironment.harnessForFixture(fixture, ConnectionBadgeHarness);
    expect(await badge.getLabel()).toContain('Error 31401');
    expect(await badge.getPhase()).toBe('error');
    expect(await badge.getTone()).toBe('error');
    expect(await badge.getAccessibleText()).toContain('Allow microphone access');
    expect(await badge.getDetail()).toContain('not allowed to use your microphone');

    fixture.componentRef.setInput('phase', 'registered');
    fixture.componentRef.setInput('error', null);
    expect(await badge.getLabel()).toContain('Online');
    expect(await badge.getTone()).toBe('ok');
    expect(await badge.getDetail()).toBeNull();
  });

  it('counts down to the next retry', async () => {
    const fixture = TestBed.createComponent(ConnectionBadge);
    fixture.componentRef.setInput('phase', 'unregistered');
    fixture.componentRef.setInput('nextRetryAt', Date.now() + 30_000);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toMatch(/Offline · Retrying in (29|30) s/);
    fixture.destroy();
  });
});
