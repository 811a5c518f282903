import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { QUALITY_WARNING_TEXT, type QualitySample } from '@switchboard/shared-voice-model';
import { QualityIndicatorHarness } from '../testing/softphone-harnesses';
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

  it('has no figures before the first sample', async () => {
    const fixture = TestBed.createComponent(QualityIndicator);
    const quality = await TestbedHarnessEnvironment.harnessForFixture(fixture, QualityIndicatorHarness);
    expect(await quality.getStats()).toBeNull();
  });
});
