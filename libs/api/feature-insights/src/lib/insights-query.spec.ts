import { HttpException } from '@nestjs/common';
import { toInsightsFilter, todayIn } from './insights-query';

const now = new Date('2026-12-06T23:30:00.000Z');
const fieldOf = (run: () => unknown) => {
  try { run(); } catch (error) { return (error as HttpException & { field?: string }).field; }
  return 'no error';
};

describe('the Insights filter', () => {
  it('defaults to the last 7 days ending today in the zone', () => {
    expect(todayIn('UTC', now)).toBe('2026-12-06');
    expect(todayIn('Europe/Paris', now)).toBe('2026-12-07');
    expect(toInsightsFilter({}, 'Europe/Paris', now)).toEqual({
      from: '2026-12-01', to: '2026-12-07', timeZone: 'Europe/Paris', agent: null, direction: null, band: null,
    });
    expect(toInsightsFilter({ to: '2026-03-02' }, 'UTC', now)).toMatchObject({ from: '2026-02-24', to: '2026-03-02' });
    expect(toInsightsFilter({ from: '2026-12-05' }, 'UTC', now)).toMatchObject({ from: '2026-12-05', to: '2026-12-06' });
  });

  it('rejects impossible dates, reversed and too long ranges, naming the field', () => {
    expect(fieldOf(() => toInsightsFilter({ from: '2026-02-30' }, 'UTC', now))).toBe('from');
    expect(fieldOf(() => toInsightsFilter({ to: '2026-13-01' }, 'UTC', now))).toBe('to');
    expect(fieldOf(() => toInsightsFilter({ from: '2026-12-05', to: '2026-12-04' }, 'UTC', now))).toBe('from');
    expect(fieldOf(() => toInsightsFilter({ from: '2025-01-01', to: '2026-01-02' }, 'UTC', now))).toBe('to');
    expect(toInsightsFilter({ from: '2024-01-01', to: '2024-12-31' }, 'UTC', now)).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
  });
});
