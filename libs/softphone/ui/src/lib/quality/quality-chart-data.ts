import { QUALITY_WARNING_TEXT, isQualityWarningName } from '@switchboard/shared-voice-model';
import type { QualitySampleColumns, RecordedWarning } from '@switchboard/shared-contracts';

/** A warning as a range of sample indexes (inclusive), to shade on the chart and mark in the table. */
export interface WarningRange {
  readonly name: string;
  readonly title: string;
  readonly from: number;
  readonly to: number;
}

/** `m:ss` (or `h:mm:ss`) since the start of the samples. */
export function elapsedLabel(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Plain words for a warning name (the live view's titles); unknown names are shown as they are. */
export function warningTitle(name: string): string {
  return isQualityWarningName(name) ? QUALITY_WARNING_TEXT[name].title : name;
}

/** Where each warning sat on the sample axis; a warning still raised at hang-up runs to the last sample. */
export function warningRanges(samples: QualitySampleColumns, warnings: readonly RecordedWarning[]): WarningRange[] {
  const count = samples.mos.length;
  if (count === 0 || samples.intervalMs <= 0) return [];
  const indexOf = (iso: string) => Math.floor((Date.parse(iso) - samples.firstSampleAt) / samples.intervalMs);
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  return warnings
    .map((w) => ({ name: w.name, title: warningTitle(w.name), from: clamp(indexOf(w.startedAt)), to: clamp(w.endedAt ? indexOf(w.endedAt) : count - 1) }))
    .filter((range) => range.to >= range.from);
}

export interface QualityChartSeries {
  readonly labels: string[];
  readonly mos: (number | null)[];
  readonly jitter: number[];
  readonly packetLossPercent: number[];
  readonly warnings: WarningRange[];
}

/** The chart's data: one point per sample, labelled by time since the first one. */
export function qualityChartSeries(samples: QualitySampleColumns, warnings: readonly RecordedWarning[]): QualityChartSeries {
  const seconds = samples.intervalMs / 1000;
  return {
    labels: samples.mos.map((_, i) => elapsedLabel(i * seconds)),
    mos: [...samples.mos],
    jitter: [...samples.jitter],
    packetLossPercent: [...samples.packetLossPercent],
    warnings: warningRanges(samples, warnings),
  };
}

/** One row of the table behind the chart: a window of samples, averaged. */
export interface SampleTableRow {
  readonly at: string;
  readonly mos: number | null;
  readonly jitter: number | null;
  readonly packetLossPercent: number | null;
  readonly rtt: number | null;
  /** The warnings raised during the window, in words. */
  readonly warnings: string[];
}

/** Short calls get a row per sample; longer ones a row per 5 s or more (at most about 240 rows). */
export function sampleTableStep(sampleCount: number): number {
  if (sampleCount <= 60) return 1;
  return Math.max(5, Math.ceil(sampleCount / 240 / 5) * 5);
}

function average(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return present.length === 0 ? null : present.reduce((sum, v) => sum + v, 0) / present.length;
}

/** The samples as table rows, `step` samples a row, with the warnings active in each window. */
export function sampleTableRows(samples: QualitySampleColumns, warnings: readonly RecordedWarning[], step = sampleTableStep(samples.mos.length)): SampleTableRow[] {
  const ranges = warningRanges(samples, warnings);
  const seconds = samples.intervalMs / 1000;
  const rows: SampleTableRow[] = [];
  for (let start = 0; start < samples.mos.length; start += step) {
    const end = Math.min(samples.mos.length, start + step) - 1;
    const slice = <T>(column: readonly T[]) => column.slice(start, end + 1);
    rows.push({
      at: elapsedLabel(start * seconds),
      mos: average(slice(samples.mos)),
      jitter: average(slice(samples.jitter)),
      packetLossPercent: average(slice(samples.packetLossPercent)),
      rtt: average(slice(samples.rtt)),
      warnings: [...new Set(ranges.filter((r) => r.from <= end && r.to >= start).map((r) => r.title))],
    });
  }
  return rows;
}
