import { LiveAnnouncer } from '@angular/cdk/a11y';
import { TestBed } from '@angular/core/testing';
import { LineTestService } from '@switchboard/softphone-data-access-quality';
import { DISPLAY_LOCALE } from '@switchboard/softphone-ui';
import { lineTest } from '@switchboard/softphone-ui/testing';
import { FakeLineTests } from './line-test-fake';
import { LineTestSetting } from './line-test-setting';

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('LineTestSetting', () => {
  let lineTests: FakeLineTests;
  let announce: jest.SpyInstance;

  beforeEach(() => {
    lineTests = new FakeLineTests();
    TestBed.configureTestingModule({ providers: [{ provide: LineTestService, useValue: lineTests }, { provide: DISPLAY_LOCALE, useValue: 'en-GB' }] });
    announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
  });

  async function render() {
    const fixture = TestBed.createComponent(LineTestSetting);
    await fixture.whenStable();
    return { fixture, root: fixture.nativeElement as HTMLElement };
  }

  it('shows the last test: verdict in words with what to do, figures, and when it ran', async () => {
    lineTests.lastTest.set(lineTest({ verdict: 'excellent', endedAt: '2026-12-05T08:30:00.000Z' }));
    const { root } = await render();
    const result = root.querySelector('[data-testid=line-test-result]');
    expect(result?.getAttribute('data-verdict')).toBe('excellent');
    expect(text(result?.querySelector('.verdict'))).toContain('Excellent');
    expect(text(result?.querySelector('.advice'))).toBe('Your line is ready for calls.');
    expect([...(result?.querySelectorAll('.figures > div') ?? [])].map((f) => `${text(f.querySelector('dt'))}: ${text(f.querySelector('dd'))}`))
      .toEqual(['MOS: 4.2', 'Round trip: 45 ms', 'Jitter: 3 ms', 'Packet loss: 0.5 %', 'Edge: ashburn']);
    expect(result?.querySelector('time')?.getAttribute('datetime')).toBe('2026-12-05T08:30:00.000Z');
    expect(text(result?.querySelector('.when'))).toMatch(/^Tested 05\/12\/2026/);
  });

  it('says when there is no test yet', async () => {
    const { root } = await render();
    expect(text(root.querySelector('[data-testid=line-test-none]'))).toBe('No line test yet.');
  });

  it('runs a test: button off while it runs, progress in words, a failure says what to do', async () => {
    const { fixture, root } = await render();
    const button = root.querySelector('[data-testid=line-test-run]') as HTMLButtonElement;
    button.click();
    lineTests.runs.next({ phase: 'connecting', elapsedSeconds: 2, expectedSeconds: 15, result: null, message: null });
    await fixture.whenStable();
    expect(lineTests.started).toBe(1);
    expect(button.disabled).toBe(true);
    expect(text(button)).toContain('Testing…');
    expect(text(root.querySelector('[data-testid=line-test-progress] .words'))).toBe('Connecting a test call… 2 of 15 seconds');
    lineTests.runs.next({ phase: 'failed', elapsedSeconds: 4, expectedSeconds: 15, result: null, message: 'The test call could not connect. Check your network, then test again.' });
    await fixture.whenStable();
    const progress = root.querySelector('[data-testid=line-test-progress]');
    expect(progress?.getAttribute('data-phase')).toBe('failed');
    expect(progress?.querySelector('mat-progress-bar')).toBeNull();
    expect(text(progress)).toBe('The test failed. The test call could not connect. Check your network, then test again.');
    expect(announce).toHaveBeenLastCalledWith('The line test failed. The test call could not connect. Check your network, then test again.', 'polite');
    expect(button.disabled).toBe(false);
  });

  it('does not start a second test while one runs from elsewhere (the panel’s offer)', async () => {
    lineTests.running.set(true);
    const { root } = await render();
    expect((root.querySelector('[data-testid=line-test-run]') as HTMLButtonElement).disabled).toBe(true);
  });
});
