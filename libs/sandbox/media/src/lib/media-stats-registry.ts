import type { MediaLegStats } from '@switchboard/sandbox-model';
import { mergeMediaLegStats } from './rtp-stats';

/** How many legs' figures are kept (live ones always; the oldest ended ones go first). */
export const DEFAULT_KEPT_LEGS = 1000;

interface MeteredEndpoint {
  readonly read: () => MediaLegStats;
  /** Set when the endpoint closed: its figures no longer change. */
  final?: MediaLegStats;
}

/**
 * Each leg's media figures by CallSid, across every endpoint the leg had (an incoming call's forks to
 * each registration, a connectToken move), read live while an endpoint is open and frozen once it
 * closes, so the Call Summary can answer after the leg ended. Bounded: beyond `keep` legs, the
 * legs whose endpoints have all closed are forgotten oldest first.
 */
export class MediaStatsRegistry {
  private readonly legs = new Map<string, MeteredEndpoint[]>();

  constructor(private readonly keep = DEFAULT_KEPT_LEGS) {}

  /** Starts metering an endpoint of `callSid`; call the returned function when it closes. */
  track(callSid: string, read: () => MediaLegStats): () => void {
    const metered: MeteredEndpoint = { read };
    const endpoints = this.legs.get(callSid) ?? [];
    // Re-inserted so the map's order is by latest activity, oldest first.
    this.legs.delete(callSid);
    this.legs.set(callSid, [...endpoints, metered]);
    this.prune();
    return () => {
      metered.final ??= read();
    };
  }

  get(callSid: string): MediaLegStats | undefined {
    const endpoints = this.legs.get(callSid);
    return endpoints && mergeMediaLegStats(endpoints.map((e) => e.final ?? e.read()));
  }

  get size(): number {
    return this.legs.size;
  }

  private prune(): void {
    let excess = this.legs.size - this.keep;
    for (const [callSid, endpoints] of this.legs) {
      if (excess <= 0) return;
      if (endpoints.every((e) => e.final)) {
        this.legs.delete(callSid);
        excess -= 1;
      }
    }
  }
}
