import { QUALITY_LIMITS, type QualitySampleColumns } from '@switchboard/shared-contracts';
import type { QualitySample } from '@switchboard/shared-voice-model';

/** The SDK samples once a second (statsMonitor.js). */
export const SAMPLE_INTERVAL_MS = 1000;

/** Audio levels heard since the last sample, averaged into that sample's second. */
export interface LevelAccumulator {
  readonly inputSum: number;
  readonly outputSum: number;
  readonly count: number;
  /** The last second's averages: repeated when no `volume` event came in a second. */
  readonly lastInput: number;
  readonly lastOutput: number;
}

export const EMPTY_LEVELS: LevelAccumulator = { inputSum: 0, outputSum: 0, count: 0, lastInput: 0, lastOutput: 0 };

export function addLevels(levels: LevelAccumulator, input: number, output: number): LevelAccumulator {
  const clamp = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
  return { ...levels, inputSum: levels.inputSum + clamp(input), outputSum: levels.outputSum + clamp(output), count: levels.count + 1 };
}

/** The averages of this second, and an accumulator emptied for the next. */
export function takeLevels(levels: LevelAccumulator): { readonly input: number; readonly output: number; readonly next: LevelAccumulator } {
  const input = levels.count > 0 ? levels.inputSum / levels.count : levels.lastInput;
  const output = levels.count > 0 ? levels.outputSum / levels.count : levels.lastOutput;
  return { input, output, next: { inputSum: 0, outputSum: 0, count: 0, lastInput: input, lastOutput: output } };
}

/** Mutable while a call lasts (one push per second; copying 6 arrays each second would be wasteful). */
export interface ColumnBuffers {
  firstSampleAt: number | null;
  readonly mos: (number | null)[];
  readonly rtt: number[];
  readonly jitter: number[];
  readonly packetLossPercent: number[];
  readonly inputLevel: number[];
  readonly outputLevel: number[];
}

export function emptyColumns(): ColumnBuffers {
  return { firstSampleAt: null, mos: [], rtt: [], jitter: [], packetLossPercent: [], inputLevel: [], outputLevel: [] };
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const finite = (value: number) => (Number.isFinite(value) ? value : 0);
/** What the API takes as a measurement (quality-validation.ts): RTT and jitter up to a minute, MOS 1–5. */
const MAX_MS = 60_000;
const ms = (value: number) => Math.min(MAX_MS, Math.max(0, Math.round(finite(value))));

/**
 * Appends one second. Figures are rounded (MOS to 2 decimals, ms to whole numbers, loss and levels to 2
 * and 3 decimals): more precision than the SDK measures only makes the record bigger. Past
 * QUALITY_LIMITS.maxSamples (four hours) further samples are not kept; returns false then.
 */
export function appendSample(columns: ColumnBuffers, sample: QualitySample, levels: { readonly input: number; readonly output: number }, now: number): boolean {
  if (columns.mos.length >= QUALITY_LIMITS.maxSamples) return false;
  if (columns.firstSampleAt === null) columns.firstSampleAt = sample.timestamp > 0 ? Math.round(sample.timestamp) : now;
  // The SDK's MOS is 1–4.5; anything else means it could not compute one.
  columns.mos.push(sample.mos === null || !Number.isFinite(sample.mos) || sample.mos < 1 || sample.mos > 5 ? null : round(sample.mos, 2));
  columns.rtt.push(ms(sample.rtt));
  columns.jitter.push(ms(sample.jitter));
  columns.packetLossPercent.push(round(Math.min(100, Math.max(0, finite(sample.packetLossPercent))), 2));
  columns.inputLevel.push(round(levels.input, 3));
  columns.outputLevel.push(round(levels.output, 3));
  return true;
}

export function toSampleColumns(columns: ColumnBuffers, fallbackStart: number): QualitySampleColumns {
  return {
    firstSampleAt: columns.firstSampleAt ?? fallbackStart,
    intervalMs: SAMPLE_INTERVAL_MS,
    mos: [...columns.mos],
    rtt: [...columns.rtt],
    jitter: [...columns.jitter],
    packetLossPercent: [...columns.packetLossPercent],
    inputLevel: [...columns.inputLevel],
    outputLevel: [...columns.outputLevel],
  };
}
