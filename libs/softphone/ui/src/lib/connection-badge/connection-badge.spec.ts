import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { ConnectionBadgeHarness } from '../testing/softphone-harnesses';
import { ConnectionBadge, secondsUntil, type ConnectionBadgeStatus } from './connection-badge';

const online: ConnectionBadgeStatus = {
  phase: 'registered', label: 'Online', icon: 'check_circle', tone: 'ok', guidance: 'Ready to place and receive calls.', isRetrying: false,
};
const retrying: ConnectionBadgeStatus = {
  phase: 'unregistered', label: 'Offline · retrying', icon: 'cloud_off', tone: 'warn', guidance: 'Switchboard is reconnecting on its own.', isRetrying: true,
};

describe('secondsUntil', () => {
  it('rounds up to whole seconds and never goes below zero', () => {
    expect(secondsUntil(1_004_500, 1_000_000)).toBe(5);
    expect(secondsUntil(999_000, 1_000_000)).toBe(0);
  });
});

describe('ConnectionBadge', () => {
  async function render(status: ConnectionBadgeStatus, nextRetryAt: number | null = null) {
    const fixture = TestBed.createComponent(ConnectionBadge);
    fixture.componentRef.setInput('status', status);
    fixture.componentRef.setInput('nextRetryAt', nextRetryAt);
    return { fixture, badge: await TestbedHarnessEnvironment.harnessForFixture(fixture, ConnectionBadgeHarness) };
  }

  it('shows the view model as it is: label, phase, tone, and the guidance aloud and in the tooltip', async () => {
    const { fixture, badge } = await render(online);
    expect(await badge.getLabel()).toBe('Online');
    expect(await badge.getPhase()).toBe('registered');
    expect(await badge.getTone()).toBe('ok');
    expect(await badge.getAccessibleText()).toBe('Phone status: Online. Ready to place and receive calls.');
    expect(await badge.getTooltipText()).toBe('Phone status: Online. Ready to place and receive calls.');
    expect(await badge.getCountdown()).toBeNull();
    fixture.destroy();
  });

  it('counts down to the next retry beside the label, without putting the seconds in what is spoken', async () => {
    const { fixture, badge } = await render(retrying, Date.now() + 30_000);
    expect(await badge.getLabel()).toBe('Offline · retrying');
    expect(await badge.getCountdown()).toMatch(/^in (29|30) s$/);
    expect(await badge.getAccessibleText()).toBe('Phone status: Offline · retrying. Switchboard is reconnecting on its own.');
    fixture.componentRef.setInput('nextRetryAt', Date.now() - 1000);
    expect(await badge.getCountdown()).toBe('now…');
    fixture.destroy();
  });

  it('shows no countdown once the phone is no longer retrying', async () => {
    const { fixture, badge } = await render(online, Date.now() + 5000);
    expect(await badge.getCountdown()).toBeNull();
    fixture.destroy();
  });
});
