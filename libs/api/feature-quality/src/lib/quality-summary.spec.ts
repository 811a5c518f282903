import type { QualitySampleColumns, RecordedWarning } from '@switchboard/shared-contracts';
import { bandOf, longestPoorWarningSeconds, summarizeQuality } from './quality-summary';

const END = '2026-12-06T10:01:00.000Z';

function samples(mos: Array<number | null>, overrides: Partial<QualitySampleColumns> = {}): QualitySampleColumns {
  const n = mos.length;
  return {
    firstSampleAt: Date.parse('2026-12-06T10:00:00.000Z'), intervalMs: 1000, mos,
    rtt: new Array<number>(n).fill(50), jitter: new Array<number>(n).fill(5), packetLossPercent: new Array<number>(n).fill(0),
    inputLevel: new Array<number>(n).fill(0.2), outputLevel: new Array<number>(n).fill(0.3), ...overrides,
  };
}

const warning = (name: RecordedWarning['name'], from: number, to: number | null): RecordedWarning => ({
  name, startedAt: new Date(Date.parse('2026-12-06T10:00:00.000Z') + from * 1000).toISOString(),
  endedAt: to === null ? null : new Date(Date.parse('2026-12-06T10:00:00.000Z') + to * 1000).toISOString(),
});

describe('summarizeQuality', () => {
  it('gives min/avg/max of each figure, MOS over the samples that have one, and the seconds past each SDK threshold', () => {
    const summary = summarizeQuality(samples([null, 4.4, 3.0, 4.0], {
      rtt: [100, 500, 401, 400], jitter: [10, 31, 30, 50], packetLossPercent: [0, 2, 1, 0.5],
    }), [], END);
    expect(summary).toMatchObject({
      sampleCount: 4,
      mos: { min: 3.0, max: 4.4 },
      rtt: { min: 100, avg: 350.25, max: 500 },
      jitter: { min: 10, avg: 30.25, max: 50 },
      packetLossPercent: { min: 0, avg: 0.875, max: 2 },
      secondsPast: { mos: 1, rtt: 2, jitter: 2, packetLoss: 1 },
      warningNames: [],
    });
    expect(summary.mos.avg).toBeCloseTo(3.8, 10);
  });

  it('counts seconds with the sampling interval, and lists each warning name once, in order of first raising', () => {
    const summary = summarizeQuality(samples([4.4, 4.4], { intervalMs: 2000, rtt: [500, 500] }),
      [warning('high-rtt', 0, 2), warning('high-jitter', 3, 4), warning('high-rtt', 5, 6)], END);
    expect(summary.secondsPast.rtt).toBe(4);
    expect(summary.warningNames).toEqual(['high-rtt', 'high-jitter']);
  });

  it('has no figures and is poor for a leg without samples (it never had media)', () => {
    expect(summarizeQuality(samples([]), [], END)).toMatchObject({
      band: 'poor', sampleCount: 0, mos: { min: null, avg: null, max: null }, rtt: { min: null, avg: null, max: null },
    });
  });
});

describe('the quality band (QUALITY_BAND_RULES)', () => {
  it('is good at an average MOS of 4 or more without warnings', () => {
    expect(summarizeQuality(samples([4.0, 4.4]), [], END).band).toBe('good');
  });

  it('is fair under an average MOS of 4, or with any warning', () => {
    expect(summarizeQuality(samples([3.9, 3.9]), [], END).band).toBe('fair');
    expect(summarizeQuality(samples([4.4, 4.4]), [warning('high-jitter', 0, 30)], END).band).toBe('fair');
    // A "poor" warning shorter than 10 s makes the call fair, not poor.
    expect(summarizeQuality(samples([4.4, 4.4]), [warning('low-mos', 0, 9)], END).band).toBe('fair');
  });

  it('is poor under an average MOS of 3.5, with over 10 % of samples losing more than 3 %, or a poor warning for 10 s', () => {
    expect(summarizeQuality(samples([3.4, 3.5]), [], END).band).toBe('poor');
    const loss = (values: number[]) => summarizeQuality(samples(values.map(() => 4.4), { packetLossPercent: values, rtt: values.map(() => 1), jitter: values.map(() => 1), inputLevel: values.map(() => 0), outputLevel: values.map(() => 0) }), [], END).band;
    expect(loss([4, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('good'); // exactly 10 %: not over
    expect(loss([4, 4, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('poor');
    expect(loss([3, 3, 3, 0, 0, 0, 0, 0, 0, 0])).toBe('good'); // 3 % is not above 3 %
    expect(summarizeQuality(samples([4.4, 4.4]), [warning('high-packet-loss', 0, 6), warning('high-packet-loss', 20, 24)], END).band).toBe('poor');
    // Raised at hang-up: it lasts until the call's end.
    expect(summarizeQuality(samples([4.4, 4.4]), [warning('ice-connectivity-lost', 50, null)], END).band).toBe('poor');
  });

  it('counts only warnings of poor severity toward the 10 s', () => {
    expect(longestPoorWarningSeconds([warning('high-rtt', 0, 60)], END)).toBe(0);
    expect(longestPoorWarningSeconds([warning('low-mos', 0, 4), warning('low-mos', 10, 16), warning('low-bytes-sent', 0, 3)], END)).toBe(10);
    expect(bandOf(null, 0, 0, 0)).toBe('poor');
  });
});
