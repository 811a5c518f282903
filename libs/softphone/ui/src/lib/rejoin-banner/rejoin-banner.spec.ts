import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { RejoinBannerHarness } from '../testing/call-control-harnesses';
import { RejoinBanner } from './rejoin-banner';

describe('RejoinBanner', () => {
  const expiresAt = Date.parse('2026-12-06T09:01:00.000Z');

  async function setup(now: number) {
    const fixture = TestBed.createComponent(RejoinBanner);
    fixture.componentRef.setInput('customer', 'Caller +1 ••• 0100');
    fixture.componentRef.setInput('expiresAt', expiresAt);
    fixture.componentRef.setInput('now', () => now);
    let rejoins = 0;
    fixture.componentInstance.rejoinRequested.subscribe(() => rejoins++);
    return { fixture, rejoins: () => rejoins, banner: await TestbedHarnessEnvironment.harnessForFixture(fixture, RejoinBannerHarness) };
  }

  it('says who waits and counts down to the end of the offer', async () => {
    const { fixture, banner, rejoins } = await setup(expiresAt - 60_000);
    expect(await banner.getCustomer()).toBe('Caller +1 ••• 0100');
    expect(await banner.getCountdown()).toBe('Rejoin within 60 s.');
    fixture.componentRef.setInput('now', () => expiresAt - 1_200);
    expect(await banner.getCountdown()).toBe('Rejoin within 2 s.');
    await banner.rejoin();
    expect(rejoins()).toBe(1);
  });

  it('ticks on its own each second', async () => {
    jest.useFakeTimers();
    try {
      let now = expiresAt - 10_000;
      const fixture = TestBed.createComponent(RejoinBanner);
      fixture.componentRef.setInput('customer', 'Caller');
      fixture.componentRef.setInput('expiresAt', expiresAt);
      fixture.componentRef.setInput('now', () => now);
      fixture.detectChanges();
      const text = () => (fixture.nativeElement as HTMLElement).querySelector('[data-testid=rejoin-countdown]')?.textContent?.replace(/\s+/g, ' ').trim();
      expect(text()).toBe('Rejoin within 10 s.');
      now += 3_000;
      jest.advanceTimersByTime(3_000);
      fixture.detectChanges();
      expect(text()).toBe('Rejoin within 7 s.');
    } finally {
      jest.useRealTimers();
    }
  });

  it('locks the button while rejoining and once the time is up', async () => {
    const { fixture, banner } = await setup(expiresAt - 5_000);
    fixture.componentRef.setInput('rejoining', true);
    expect(await banner.canRejoin()).toBe(false);
    expect(await banner.getButtonText()).toBe('Rejoining…');
    fixture.componentRef.setInput('rejoining', false);
    fixture.componentRef.setInput('now', () => expiresAt + 1);
    expect(await banner.getCountdown()).toBe('Time is up.');
    expect(await banner.canRejoin()).toBe(false);
  });
});
