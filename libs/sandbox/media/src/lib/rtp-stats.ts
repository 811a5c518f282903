import type { MediaLegStats } from '@switchboard/sandbox-model';

/** Mean and maximum of a series, without keeping the series. */
export class RunningStat {
  private count = 0;
  private sum = 0;
  private maximum = 0;

  add(value: number): void {
    this.count += 1;
    this.sum += value;
    if (value > this.maximum) this.maximum = value;
  }

  get samples(): number {
    return this.count;
  }

  get avg(): number | null {
    return this.count === 0 ? null : this.sum / this.count;
  }

  get max(): number | null {
    return this.count === 0 ? null : this.maximum;
  }
}

/**
 * What arrives on one RTP stream, as an RTCP receiver report would count it (RFC 3550 A.3 and A.8):
 * packets expected from the highest extended sequence number seen, lost = expected − received, and
 * the interarrival jitter estimate, in milliseconds, sampled on every packet for its mean and maximum.
 */
export class InboundRtpMeter {
  private received = 0;
  private baseSeq: number | undefined;
  private highestSeq = 0;
  private lastArrivalMs: number | undefined;
  private lastRtpTimestamp = 0;
  private jitterMs = 0;
  private readonly jitter = new RunningStat();
  private peak = 0;

  /** One packet that got through (packets a fault dropped are never seen, so they count as lost). */
  packet(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number, clockRate: number): void {
    if (this.baseSeq === undefined) {
      this.baseSeq = sequenceNumber;
      this.highestSeq = sequenceNumber;
    } else {
      // Extend the 16-bit sequence number around the one closest to the highest seen (wrap-around safe).
      const delta = ((sequenceNumber - this.highestSeq + 0x8000) & 0xffff) - 0x8000;
      if (delta > 0) this.highestSeq += delta;
    }
    this.received += 1;
    if (this.lastArrivalMs !== undefined) {
      const transitDeltaMs = arrivalMs - this.lastArrivalMs - (((rtpTimestamp - this.lastRtpTimestamp) | 0) * 1000) / clockRate;
      this.jitterMs += (Math.abs(transitDeltaMs) - this.jitterMs) / 16;
      this.jitter.add(this.jitterMs);
    }
    this.lastArrivalMs = arrivalMs;
    this.lastRtpTimestamp = rtpTimestamp;
  }

  /** The loudest sample of a decoded frame, for telling a silent stream from one with audio. */
  level(frame: Int16Array): void {
    for (const sample of frame) {
      const magnitude = sample < 0 ? -sample : sample;
      if (magnitude > this.peak) this.peak = magnitude;
    }
  }

  snapshot(): MediaLegStats['inbound'] {
    const expected = this.baseSeq === undefined ? 0 : this.highestSeq - this.baseSeq + 1;
    return {
      packetsReceived: this.received,
      packetsLost: Math.max(0, expected - this.received),
      jitterAvgMs: round(this.jitter.avg),
      jitterMaxMs: round(this.jitter.max),
      peakLevel: this.peak,
    };
  }
}

/** Several endpoints' figures for one leg (forks that rang, a connectToken move) as one: sums, weighted means, maxima. */
export function mergeMediaLegStats(parts: readonly MediaLegStats[]): MediaLegStats | undefined {
  if (parts.length === 0) return undefined;
  const used = parts.find((p) => p.codecName) ?? parts[0];
  const weighted = (pick: (p: MediaLegStats) => number | null, weight: (p: MediaLegStats) => number): number | null => {
    let sum = 0;
    let total = 0;
    for (const part of parts) {
      const value = pick(part);
      if (value === null) continue;
      const w = Math.max(1, weight(part));
      sum += value * w;
      total += w;
    }
    return total === 0 ? null : round(sum / total);
  };
  const maximum = (pick: (p: MediaLegStats) => number | null): number | null =>
    parts.reduce<number | null>((m, p) => (pick(p) === null ? m : Math.max(m ?? 0, pick(p) as number)), null);
  const sum = (pick: (p: MediaLegStats) => number): number => parts.reduce((s, p) => s + pick(p), 0);
  return {
    ...(used.codecName !== undefined && { codecName: used.codecName }),
    ...(used.payloadType !== undefined && { payloadType: used.payloadType }),
    inbound: {
      packetsReceived: sum((p) => p.inbound.packetsReceived),
      packetsLost: sum((p) => p.inbound.packetsLost),
      jitterAvgMs: weighted((p) => p.inbound.jitterAvgMs, (p) => p.inbound.packetsReceived),
      jitterMaxMs: maximum((p) => p.inbound.jitterMaxMs),
      peakLevel: Math.max(...parts.map((p) => p.inbound.peakLevel)),
    },
    outbound: { packetsSent: sum((p) => p.outbound.packetsSent), packetsLost: sum((p) => p.outbound.packetsLost) },
    rttAvgMs: weighted((p) => p.rttAvgMs, (p) => p.outbound.packetsSent),
    rttMaxMs: maximum((p) => p.rttMaxMs),
  };
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}
