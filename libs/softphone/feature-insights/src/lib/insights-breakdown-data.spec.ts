import type { InsightsBreakdownRow } from '@switchboard/shared-contracts';
import { FALLBACK_PALETTE } from '@switchboard/softphone-ui';
import { breakdownChartConfig, breakdownChartHeight, breakdownChartSummary, warningsChartConfig, warningsChartSummary } from './insights-breakdown-data';

const row = (key: string, good: number, fair: number, poor: number): InsightsBreakdownRow => ({ key, calls: good + fair + poor, good, fair, poor, avgMos: 4 });

describe('breakdown charts', () => {
  it('stacks each key’s good, fair and poor calls as horizontal bars in the theme’s band colours', () => {
    const config = breakdownChartConfig([row('Chrome 131', 7, 2, 1), row('Firefox 133', 1, 1, 0)], FALLBACK_PALETTE);
    expect(config.data.labels).toEqual(['Chrome 131', 'Firefox 133']);
    expect(config.data.datasets.map((d) => [d.label, d.data, d.backgroundColor])).toEqual([
      ['Good', [7, 1], FALLBACK_PALETTE.good], ['Fair', [2, 1], FALLBACK_PALETTE.fair], ['Poor', [1, 0], FALLBACK_PALETTE.poor],
    ]);
    expect(config.options?.indexAxis).toBe('y');
    expect(config.options?.scales?.['x']).toMatchObject({ stacked: true });
  });

  it('draws warnings as single bars, named in words', () => {
    const config = warningsChartConfig([{ name: 'high-jitter', calls: 3 }], (name) => `title of ${name}`, FALLBACK_PALETTE);
    expect(config.data.labels).toEqual(['title of high-jitter (high-jitter)']);
    expect(config.data.datasets).toHaveLength(1);
    expect(config.data.datasets[0].data).toEqual([3]);
  });

  it('grows the canvas with the rows', () => {
    expect(breakdownChartHeight(20)).toBeGreaterThan(breakdownChartHeight(2));
    expect(breakdownChartHeight(0)).toBe(breakdownChartHeight(1));
  });

  it('names the chart by what it shows and its largest bar, pointing to the table', () => {
    expect(breakdownChartSummary('Edge', [row('ashburn', 2, 0, 1)])).toBe(
      'Stacked bar chart of calls by edge and quality, 1 value. Most calls: ashburn, 3 (2 good, 0 fair, 1 poor). The figures are in the table below.',
    );
    expect(breakdownChartSummary('Edge', [])).toBe('Edge: no calls.');
    expect(warningsChartSummary([{ name: 'high-rtt', calls: 1 }, { name: 'low-mos', calls: 1 }], (n) => n)).toBe(
      'Bar chart of calls per warning, 2 warnings. Most frequent: high-rtt, 1 call. The figures are in the table below.',
    );
  });
});
