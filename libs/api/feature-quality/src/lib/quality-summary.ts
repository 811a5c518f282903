import {
  QUALITY_BAND_RULES, type QualityBand, type QualityFigureSummary, type QualitySampleColumns, type QualitySummary, type RecordedWarning,
  type RecordedWarningName,
} from '@switchboard/shared-contracts';
import { QUALITY_WARNING_TEXT } from '@switchboard/shared-voice-model';

/** The SDK's own warning thresholds (statsMonitor.js), as QualitySummary.secondsPast documents them. */
export const SECONDS_PAST_THRESHOLDS = { mosBelow: 3.5, rttAboveMs: 400, jitterAboveMs: 30, lossAbovePercent: 1 } as const;

/**
 * The summary of one leg, derived from its samples and warnings only (never from the client's own
 * figures), so every record is summarised the same way. `endedAt` closes a warning still raised at hang-up.
 */
export function summarizeQuality(samples: QualitySampleColumns, warnings: readonly RecordedWarning[], endedAt: string): QualitySummary {
  const count = samples.rtt.length;
  const secondsPerSample = samples.intervalMs / 1000;
  const mosValues = samples.mos.filter((value): value is number => value !== null);
  const seconds = (hits: number) => Math.round(hits * secondsPerSample);
  const mos = figureOf(mosValues);
  const lossyShare = count === 0 ? 0 : samples.packetLossPercent.filter((loss) => loss > QUALITY_BAND_RULES.poorLossPercent).length / count;
  const warningNames = [...new Set(warnings.map((warning) => warning.name))];
  return {
    band: bandOf(mos.avg, lossyShare, longestPoorWarningSeconds(warnings, endedAt), warningNames.length),
    sampleCount: count,
    mos,
    rtt: figureOf(samples.rtt),
    jitter: figureOf(samples.jitter),
    packetLossPercent: figureOf(samples.packetLossPercent),
    secondsPast: {
      mos: seconds(mosValues.filter((value) => value < SECONDS_PAST_THRESHOLDS.mosBelow).length),
      rtt: seconds(samples.rtt.filter((value) => value > SECONDS_PAST_THRESHOLDS.rttAboveMs).length),
      jitter: seconds(samples.jitter.filter((value) => value > SECONDS_PAST_THRESHOLDS.jitterAboveMs).length),
      packetLoss: seconds(samples.packetLossPercent.filter((value) => value > SECONDS_PAST_THRESHOLDS.lossAbovePercent).length),
    },
    warningNames,
  };
}

/** QUALITY_BAND_RULES applied; a leg without any MOS sample never had media, so it is poor. */
export function bandOf(avgMos: number | null, lossyShare: number, poorWarningSeconds: number, warningCount: number): QualityBand {
  const rules = QUALITY_BAND_RULES;
  if (avgMos === null || avgMos < rules.poorAvgMos || lossyShare > rules.poorLossShare || poorWarningSeconds >= rules.poorWarningSeconds) return 'poor';
  if (avgMos < rules.fairAvgMos || warningCount > 0) return 'fair';
  return 'good';
}

/**
 * Per warning name of "poor" severity (QUALITY_WARNING_TEXT), the seconds it was raised in total (the SDK
 * may raise and clear it several times); the largest of them. A warning still raised at hang-up runs to `endedAt`.
 */
export function longestPoorWarningSeconds(warnings: readonly RecordedWarning[], endedAt: string): number {
  const totals = new Map<RecordedWarningName, number>();
  const callEnd = Date.parse(endedAt);
  for (const warning of warnings) {
    if (QUALITY_WARNING_TEXT[warning.name].severity !== 'poor') continue;
    const end = warning.endedAt === null ? callEnd : Date.parse(warning.endedAt);
    const seconds = Math.max(0, (end - Date.parse(warning.startedAt)) / 1000);
    totals.set(warning.name, (totals.get(warning.name) ?? 0) + seconds);
  }
  return Math.max(0, ...totals.values());
}

function figureOf(values: readonly number[]): QualityFigureSummary {
  if (values.length === 0) return { min: null, avg: null, max: null };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
  }
  return { min, avg: sum / values.length, max };
}
