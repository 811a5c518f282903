/**
 * Call quality (statsMonitor.js thresholds, 1 s samples; a warning is raised when 3 of the last 5
 * samples cross it). `constant-audio-output-level` is never emitted by 2.18.5 (call.js only logs
 * it) but is kept so a future SDK that does emit it is understood.
 */
export const QUALITY_WARNING_NAMES = [
  'high-rtt',
  'low-mos',
  'high-jitter',
  'high-packet-loss',
  'high-packets-lost-fraction',
  'low-bytes-received',
  'low-bytes-sent',
  'constant-audio-input-level',
  'constant-audio-output-level',
  'ice-connectivity-lost',
] as const;
export type QualityWarningName = (typeof QUALITY_WARNING_NAMES)[number];

export const isQualityWarningName = (name: string): name is QualityWarningName =>
  (QUALITY_WARNING_NAMES as readonly string[]).includes(name);

export interface QualityWarningText {
  /** Short label for a chip. */
  readonly title: string;
  /** What the agent can do about it, in plain language. */
  readonly remediation: string;
  /** How much it hurts the call; decides the three-level indicator. */
  readonly severity: 'fair' | 'poor';
}

export const QUALITY_WARNING_TEXT: Readonly<Record<QualityWarningName, QualityWarningText>> = {
  'high-rtt': { title: 'Delay on the line', remediation: 'Your connection is slow to respond. Close large downloads or video, move closer to the Wi-Fi router, or use a wired connection.', severity: 'fair' },
  'low-mos': { title: 'Poor call quality', remediation: 'The caller may hear you badly. Switch to a wired network or a stronger Wi-Fi signal, and pause other heavy network use.', severity: 'poor' },
  'high-jitter': { title: 'Choppy audio', remediation: 'Your network is uneven. Pause video calls and uploads, or switch to a wired connection.', severity: 'fair' },
  'high-packet-loss': { title: 'Audio dropping out', remediation: 'Parts of the audio are lost on the way. Move closer to the Wi-Fi router or use a wired connection; a VPN can also cause this.', severity: 'poor' },
  'high-packets-lost-fraction': { title: 'Audio dropping out', remediation: 'Audio keeps getting lost. Use a wired connection or turn off the VPN if you can.', severity: 'poor' },
  'low-bytes-received': { title: 'No audio from the caller', remediation: 'No sound is arriving. Check your network; Switchboard is trying to restore the audio.', severity: 'poor' },
  'low-bytes-sent': { title: 'Your audio is not being sent', remediation: 'No sound is leaving this computer. Check your network; Switchboard is trying to restore the audio.', severity: 'poor' },
  'constant-audio-input-level': { title: 'Microphone silent', remediation: 'Your microphone picks up nothing. Check it is not muted on the headset, or choose another microphone in Settings.', severity: 'fair' },
  'constant-audio-output-level': { title: 'No sound from the caller', remediation: 'Nothing is playing from the call. Check your speaker or headset choice in Settings.', severity: 'fair' },
  'ice-connectivity-lost': { title: 'Connection interrupted', remediation: 'The audio connection dropped. Switchboard is reconnecting; check your network or VPN if it does not recover.', severity: 'poor' },
};

/** One second of call statistics, reduced to what the live view and summary need. */
export interface QualitySample {
  readonly timestamp: number;
  /** Mean opinion score 1–4.5; null while the SDK cannot compute one. */
  readonly mos: number | null;
  /** Round-trip time, ms. */
  readonly rtt: number;
  /** Jitter, ms. */
  readonly jitter: number;
  /** Packets lost in this sample, percent (0–100). */
  readonly packetLossPercent: number;
}

export type QualityLevel = 'good' | 'fair' | 'poor';

/** Sample-based cut-offs, matching the SDK's warning thresholds (statsMonitor.js). */
export const QUALITY_THRESHOLDS = { poorMos: 3, fairMos: 3.6, rttMs: 400, jitterMs: 30, lossPercent: 1 } as const;

/** Three levels for the indicator: the worst of the active warnings and the latest sample. */
export function qualityLevel(activeWarnings: readonly QualityWarningName[], latest: QualitySample | null): QualityLevel {
  let level: QualityLevel = 'good';
  for (const warning of activeWarnings) {
    if (QUALITY_WARNING_TEXT[warning].severity === 'poor') return 'poor';
    level = 'fair';
  }
  if (latest) {
    if (latest.mos !== null && latest.mos < QUALITY_THRESHOLDS.poorMos) return 'poor';
    if (
      (latest.mos !== null && latest.mos < QUALITY_THRESHOLDS.fairMos) ||
      latest.rtt > QUALITY_THRESHOLDS.rttMs ||
      latest.jitter > QUALITY_THRESHOLDS.jitterMs ||
      latest.packetLossPercent > QUALITY_THRESHOLDS.lossPercent
    ) {
      level = 'fair';
    }
  }
  return level;
}

export interface CallQualitySummary {
  readonly sampleCount: number;
  /** Samples that carried a MOS (the SDK reports null until it can compute one). */
  readonly mosSampleCount: number;
  readonly minMos: number | null;
  readonly avgMos: number | null;
  readonly maxRtt: number | null;
  readonly maxJitter: number | null;
  readonly maxPacketLossPercent: number | null;
  /** Every warning raised during the call, in first-seen order. */
  readonly warningsSeen: readonly QualityWarningName[];
}

export const EMPTY_QUALITY_SUMMARY: CallQualitySummary = {
  sampleCount: 0,
  mosSampleCount: 0,
  minMos: null,
  avgMos: null,
  maxRtt: null,
  maxJitter: null,
  maxPacketLossPercent: null,
  warningsSeen: [],
};

const maxOf = (current: number | null, value: number): number => (current === null ? value : Math.max(current, value));

/** Fold one sample into a running summary (incremental, so no full history is stored). */
export function addSampleToSummary(summary: CallQualitySummary, sample: QualitySample): CallQualitySummary {
  const withMos =
    sample.mos === null
      ? {}
      : {
          mosSampleCount: summary.mosSampleCount + 1,
          minMos: summary.minMos === null ? sample.mos : Math.min(summary.minMos, sample.mos),
          avgMos: ((summary.avgMos ?? 0) * summary.mosSampleCount + sample.mos) / (summary.mosSampleCount + 1),
        };
  return {
    ...summary,
    ...withMos,
    sampleCount: summary.sampleCount + 1,
    maxRtt: maxOf(summary.maxRtt, sample.rtt),
    maxJitter: maxOf(summary.maxJitter, sample.jitter),
    maxPacketLossPercent: maxOf(summary.maxPacketLossPercent, sample.packetLossPercent),
  };
}

export function addWarningToSummary(summary: CallQualitySummary, warning: QualityWarningName): CallQualitySummary {
  return summary.warningsSeen.includes(warning) ? summary : { ...summary, warningsSeen: [...summary.warningsSeen, warning] };
}

/** Append to a ring buffer of fixed capacity (oldest dropped first). */
export function appendCapped<T>(items: readonly T[], item: T, capacity: number): readonly T[] {
  const next = [...items, item];
  return next.length > capacity ? next.slice(next.length - capacity) : next;
}
