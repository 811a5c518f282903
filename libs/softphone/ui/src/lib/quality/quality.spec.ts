import { TestBed } from '@angular/core/testing';
import type { CallQualityBadge } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE } from '../locale/display-locale';
import { withAlpha } from './chart-palette';
import { QualityBadge, qualityBadgeText } from './quality-badge';
import { elapsedLabel, qualityChartSeries, sampleTableRows, sampleTableStep, warningRanges } from './quality-chart-data';
import { QualityFacts, qualityFacts } from './quality-facts';
import { qualityRecord, sampleColumns } from './quality-fixtures';
import { QualitySamplesTable } from './quality-samples-table';
import { QualitySetupTimeline, setupStepText } from './quality-setup-timeline';

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('quality badge', () => {
  it('says the band in words with the average MOS and warnings, never by colour alone', () => {
    TestBed.configureTestingModule({ providers: [{ provide: DISPLAY_LOCALE, useValue: 'en-GB' }] });
    const fixture = TestBed.createComponent(QualityBadge);
    const poor: CallQualityBadge = { band: 'poor', avgMos: 2.94, warningCount: 3 };
    fixture.componentRef.setInput('badge', poor);
    fixture.detectChanges();
    const badge = (fixture.nativeElement as HTMLElement).querySelector('[data-testid=quality-badge]');
    expect(badge?.getAttribute('data-band')).toBe('poor');
    expect(text(badge?.querySelector('span'))).toBe('Call quality: Poor · MOS 2.9 · 3 warnings');
    expect(badge?.querySelector('mat-icon')?.textContent?.trim()).toBe('warning');
    expect(badge?.querySelector('mat-icon')?.getAttribute('aria-hidden')).toBe('true');
    fixture.componentRef.setInput('badge', null);
    fixture.detectChanges();
    expect(text(badge)).toContain('No quality record');
  });

  it('writes the MOS in the display locale', () => {
    expect(qualityBadgeText({ band: 'good', avgMos: 4.25, warningCount: 0 }, 'de-DE')).toBe('Good · MOS 4,3');
    expect(qualityBadgeText({ band: 'fair', avgMos: null, warningCount: 1 }, 'en')).toBe('Fair · 1 warning');
  });
});

describe('quality chart data', () => {
  it('labels each sample by time into the call and maps warnings to sample ranges', () => {
    const record = qualityRecord();
    const series = qualityChartSeries(record.samples, record.warnings);
    expect(series.labels.slice(0, 3)).toEqual(['0:00', '0:01', '0:02']);
    expect(series.packetLossPercent).toEqual([0, 0, 0, 10, 10, 10, 0, 0, 0, 0]);
    expect(series.warnings).toEqual([{ name: 'high-packet-loss', title: 'Audio dropping out', from: 3, to: 6 }]);
    expect(elapsedLabel(3725)).toBe('1:02:05');
  });

  it('runs a warning still raised at hang-up to the last sample, and clamps times outside the samples', () => {
    const samples = sampleColumns(5);
    expect(warningRanges(samples, [
      { name: 'high-jitter', startedAt: '2026-12-06T10:00:02.000Z', endedAt: null },
      { name: 'high-rtt', startedAt: '2026-12-06T09:59:00.000Z', endedAt: '2026-12-06T10:10:00.000Z' },
    ]).map((r) => [r.from, r.to])).toEqual([[2, 4], [0, 4]]);
    expect(warningRanges(sampleColumns(0), [{ name: 'high-rtt', startedAt: '2026-12-06T10:00:00.000Z', endedAt: null }])).toEqual([]);
  });

  it('averages long calls over 5 s windows (or more) and keeps every second of short ones', () => {
    expect(sampleTableStep(60)).toBe(1);
    expect(sampleTableStep(600)).toBe(5);
    expect(sampleTableStep(1800)).toBe(10);
    expect(sampleTableStep(4 * 3600)).toBe(60); // at most about 240 rows
    const samples = sampleColumns(12, { jitter: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], mos: [4, null, 4, 4, 4, 3, 3, 3, 3, 3, 4, 4] });
    const rows = sampleTableRows(samples, [{ name: 'high-jitter', startedAt: '2026-12-06T10:00:06.000Z', endedAt: '2026-12-06T10:00:08.000Z' }], 5);
    expect(rows.map((r) => r.at)).toEqual(['0:00', '0:05', '0:10']);
    expect(rows.map((r) => r.jitter)).toEqual([3, 8, 11.5]);
    expect(rows[0].mos).toBe(4); // the null is skipped, not counted as 0
    expect(rows.map((r) => r.warnings)).toEqual([[], ['Choppy audio'], []]);
  });

});

describe('chart palette', () => {
  it('makes a theme colour translucent for the shaded ranges', () => {
    expect(withAlpha('rgb(1, 2, 3)', 0.5)).toBe('rgba(1, 2, 3, 0.5)');
    expect(withAlpha('red', 0.5)).toBe('red');
  });
});

describe('quality detail parts', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [{ provide: DISPLAY_LOCALE, useValue: 'en-GB' }] }));

  it('samples table: a captioned table with column and row headers, readable before it is shown', () => {
    const record = qualityRecord();
    const fixture = TestBed.createComponent(QualitySamplesTable);
    fixture.componentRef.setInput('samples', record.samples);
    fixture.componentRef.setInput('warnings', record.warnings);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const table = root.querySelector('[data-testid=quality-samples-table]') as HTMLTableElement;
    expect(text(table.caption)).toBe('Quality, second by second');
    expect([...table.querySelectorAll('thead th')].every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    expect(table.tBodies[0].rows).toHaveLength(10);
    expect([...table.tBodies[0].rows[3].cells].map(text)).toEqual(['0:03', '4.30', '5', '10.0', '40', 'Audio dropping out']);
    expect(table.parentElement?.parentElement?.classList).toContain('sb-visually-hidden');
    expect(table.parentElement?.classList).not.toContain('scroll'); // no 1 px scrollable region while hidden
    const toggle = root.querySelector('[data-testid=quality-samples-toggle]') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    fixture.detectChanges();
    expect(table.parentElement?.parentElement?.classList).not.toContain('sb-visually-hidden');
    expect(table.parentElement?.getAttribute('tabindex')).toBe('0');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
  });

  it('set-up timeline: each step with its duration, failures with their code', () => {
    expect(setupStepText({ step: 'registration', at: '', durationMs: null, error: { code: 31005, message: 'Connection error' } }, 'en')).toBe('Registration failed (code 31005: Connection error)');
    expect(setupStepText({ step: 'token', at: '', durationMs: 2300, error: null }, 'en')).toBe('Token: 2.3 s');
    const fixture = TestBed.createComponent(QualitySetupTimeline);
    fixture.componentRef.setInput('events', qualityRecord().setup);
    fixture.detectChanges();
    const list = (fixture.nativeElement as HTMLElement).querySelector('[data-testid=quality-setup-timeline]');
    expect(list?.tagName).toBe('OL');
    expect([...(list?.querySelectorAll('li span') ?? [])].map(text)).toEqual(['Invite to ringing: 420 ms', 'Answer to audio: 1.3 s']);
  });

  it('facts: codec, candidates, network, edge, DSCP, SDK, browser, devices, rating and Twilio’s view', () => {
    const record = qualityRecord({
      rating: { score: 2, issues: ['choppy-audio', 'echo'], at: '2026-12-06T10:01:00.000Z' },
      twilioSummary: { tags: ['high_packet_loss'], whoHungUp: 'callee', postDialDelayMs: 800, callState: 'completed', processingState: 'complete' },
    });
    const facts = Object.fromEntries(qualityFacts(record, 'en').map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({
      Codec: 'opus', 'Connection (this side / far side)': 'direct (host) / relayed (TURN)', 'Network type': 'wifi', Edge: 'ashburn',
      'DSCP marking': 'On', 'Voice SDK': '2.18.5', Browser: 'Chrome 131', 'Operating system': 'Linux', Microphone: 'Headset mic',
      'Agent’s rating': '2 of 5: Choppy audio, Echo', 'Twilio’s tags': 'high_packet_loss', 'Who hung up': 'callee', 'Post-dial delay': '800 ms',
    });
    const fixture = TestBed.createComponent(QualityFacts);
    fixture.componentRef.setInput('record', qualityRecord());
    fixture.detectChanges();
    const dl = (fixture.nativeElement as HTMLElement).querySelector('[data-testid=quality-facts]');
    expect(dl?.tagName).toBe('DL');
    const pairs = [...(dl?.querySelectorAll('.fact') ?? [])].map((f) => `${text(f.querySelector('dt'))}: ${text(f.querySelector('dd'))}`);
    expect(pairs).toContain('Agent’s rating: Not rated');
    expect(pairs.some((p) => p.startsWith('Who hung up'))).toBe(false);
  });
});

