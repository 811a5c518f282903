import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { QUALITY_WARNING_TEXT, type QualitySample } from '@switchboard/shared-voice-model';
import { QualityIndicatorHarness } from '../testing/softphone-harnesses';
import { DISPLAY_LOCALE } from '../locale/display-locale';
import { QualityIndicator } from './quality-indicator';

const sample: QualitySample = { timestamp: 1, mos: 4.31, rtt: 42, jitter: 3, packetLossPercent: 0.25 };

describe('QualityIndicator', () => {
  it('shows good quality and the latest figures, without warnings', async () => {
    const fixture = TestBed.createComponent(QualityIndicator);
    fixture.componentRef.setInput('latest', sample);
    const quality = await TestbedHarnessEnvironment.harnessForFixture(fixture, QualityIndicatorHarness);
    expect(await quality.getLevel()).toBe('good');
    expect(await quality.getLevelLabel()).toBe('Good');
    expect(await quality.getStats()).toEqual({ mos: '4.3', rtt: '42 ms', jitter: '3 ms', loss: '0.3 %' });
    expect(await quality.getWarnings()).toEqual([]);
  });

  it('drops a level for each active warning and says what to do about it', async () => {
    const fixture = TestBed.createComponent(QualityIndicator);
    fixture.componentRef.setInput('latest', { ...sample, mos: null });
    fixture.componentRef.setInput('warnings', ['high-rtt']);
    const quality = await TestbedHarnessEnvironment.harnessForFixture(fixture, QualityIndicatorHarness);
    expect(await quality.getLevel()).not.toBe('good');
    expect((await quality.getStats())?.mos).toBe('–');
    const warnings = await quality.getWarnings();
    expect(warnings.map((w) => w.name)).toEqual(['high-rtt']);
    expect(warnings[0].remediation).toBe(QUALITY_WARNING_TEXT['high-rtt'].remediation);
  });

  it('rounds raw SDK figures for reading: RTT and jitter whole milliseconds, MOS and loss one decimal', async () => {
    const fixture = TestBed.createComponent(QualityIndicator);
    fixture.componentRef.setInput('latest', { timestamp: 1, mos: 4.4049999, rtt: 3.9059999999999997, jitter: 12.5000001, packetLossPercent: 1.0000000002 });
    const quality = await TestbedHarnessEnvironment.harnessForFixture(fixture, QualityIndicatorHarness);
    expect(await quality.getStats()).toEqual({ mos: '4.4', rtt: '4 ms', jitter: '13 ms', loss: '1.0 %' });
  });

  it('writes the figures in the agent’s locale', async () => {
    TestBed.configureTestingModule({ providers: [{ provide: DISPLAY_LOCALE, useValue: 'de-DE' }] });
    const fixture = TestBed.createComponent(QualityIndicator);
    fixture.componentRef.setInput('latest', { timestamp: 1, mos: 3.46, rtt: 1234.4, jitter: 3, packetLossPercent: 2.25 });
    const quality = await TestbedHarnessEnvironment.harnessForFixture(fixture, QualityIndicatorHarness);
    expect(await quality.getStats()).toEqual({ mos: '3,5', rtt: '1.234 ms', jitter: '3 ms', loss: '2,3 %' });
  });

  it('has no figures before the first sample', async () => {
    const fixture = TestBed.createComponent(QualityIndicator);
    const quality = await TestbedHarnessEnvironment.harnessForFixture(fixture, QualityIndicatorHarness);
    expect(await quality.getStats()).toBeNull();
  });
});
