import { FALLBACK_PALETTE, qualityChartSeries } from '@switchboard/softphone-ui';
import { qualityRecord } from '@switchboard/softphone-ui/testing';
import { qualityChartConfig } from './quality-chart';

describe('quality chart config', () => {
  it('draws each figure on its own axis with its own dash, in the theme colours', () => {
    const record = qualityRecord();
    const config = qualityChartConfig(qualityChartSeries(record.samples, record.warnings), FALLBACK_PALETTE);
    const sets = config.data.datasets;
    expect(sets.map((d) => d.label)).toEqual(['MOS (1–4.5)', 'Jitter (ms)', 'Packet loss (%)']);
    expect(sets.map((d) => d.yAxisID)).toEqual(['mos', 'ms', 'loss']);
    expect(new Set(sets.map((d) => JSON.stringify(d.borderDash))).size).toBe(3);
    expect(sets[0].borderColor).toBe(FALLBACK_PALETTE.primary);
  });
});
