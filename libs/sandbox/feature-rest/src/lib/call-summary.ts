import type { LegStatus, MediaLegStats } from '@switchboard/sandbox-model';

/** What the sandbox knows of a leg's life (the call core's leg record satisfies it). */
export interface CallSummaryFacts {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: 'inbound' | 'outbound-api' | 'outbound-dial';
  readonly parentCallSid?: string;
  readonly status: LegStatus;
  readonly startedAt: number;
  readonly ringingAt?: number;
  readonly answeredAt?: number;
  readonly endedAt?: number;
  /** The sandbox (Twilio's side) or the party at the leg's far end. */
  readonly endedBy?: 'sandbox' | 'party';
}

/**
 * Twilio's thresholds for its edge tags (Voice Insights "Details: Call Tags"): high_packet_loss above
 * 5 % loss; high_jitter with an average of 5 ms and a maximum of 30 ms; silence when no audio stream or
 * a completely silent one was received. Twilio's edge high_latency is its internal RTP traversal time,
 * which the sandbox (one process on loopback) does not have; it uses the SDK edge's rule on the RTT it
 * measured from the party's RTCP instead (over 400 ms).
 */
export const CALL_TAG_RULES = {
  packetLossPercent: 5,
  jitterAvgMs: 5,
  jitterMaxMs: 30,
  rttMs: 400,
  /** Peak sample of the decoded audio at or below which a stream is silent (about −54 dBFS). */
  silencePeak: 64,
} as const;

export type CallSummaryTag = 'high_packet_loss' | 'high_jitter' | 'high_latency' | 'silence';

export interface StreamFigures {
  readonly inboundLossPercent: number;
  readonly outboundLossPercent: number;
}

export function lossPercent(lost: number, delivered: number): number {
  const total = lost + delivered;
  return total === 0 ? 0 : Math.round((lost / total) * 10000) / 100;
}

/** Tags for one media stream direction the sandbox measured. */
export function inboundTags(stats: MediaLegStats, answered: boolean): CallSummaryTag[] {
  const tags: CallSummaryTag[] = [];
  const { inbound } = stats;
  if (lossPercent(inbound.packetsLost, inbound.packetsReceived) > CALL_TAG_RULES.packetLossPercent) tags.push('high_packet_loss');
  if (
    inbound.jitterAvgMs !== null && inbound.jitterMaxMs !== null &&
    inbound.jitterAvgMs >= CALL_TAG_RULES.jitterAvgMs && inbound.jitterMaxMs >= CALL_TAG_RULES.jitterMaxMs
  ) {
    tags.push('high_jitter');
  }
  if (answered && (inbound.packetsReceived === 0 || inbound.peakLevel <= CALL_TAG_RULES.silencePeak)) tags.push('silence');
  return tags;
}

export function outboundTags(stats: MediaLegStats): CallSummaryTag[] {
  const tags: CallSummaryTag[] = [];
  if (lossPercent(stats.outbound.packetsLost, stats.outbound.packetsSent) > CALL_TAG_RULES.packetLossPercent) tags.push('high_packet_loss');
  if (stats.rttAvgMs !== null && stats.rttAvgMs > CALL_TAG_RULES.rttMs) tags.push('high_latency');
  return tags;
}

/** The call's tags: every tag either stream earned, once, in a stable order. */
export function deriveCallTags(stats: MediaLegStats | undefined, answered: boolean): CallSummaryTag[] {
  if (!stats) return [];
  const all = new Set<CallSummaryTag>([...inboundTags(stats, answered), ...outboundTags(stats)]);
  return (['high_packet_loss', 'high_jitter', 'high_latency', 'silence'] as const).filter((tag) => all.has(tag));
}

/**
 * Mean opinion score as the Voice SDK computes it (rtc/mos.ts, an E-model simplification) from RTT and
 * jitter in ms and loss in percent; null without an RTT.
 */
export function meanOpinionScore(rttMs: number | null, jitterMs: number | null, lossPct: number): number | null {
  if (rttMs === null || jitterMs === null) return null;
  const effectiveLatency = rttMs + jitterMs * 2 + 10;
  let rFactor = effectiveLatency < 160 ? 94.768 - effectiveLatency / 40 : effectiveLatency < 1000 ? 94.768 - (effectiveLatency - 120) / 10 : 0;
  rFactor = lossPct <= rFactor / 2.5 ? Math.max(rFactor - lossPct * 2.5, 6.52) : 0;
  const mos = 1 + 0.035 * rFactor + 0.000007 * rFactor * (rFactor - 60) * (100 - rFactor);
  return Math.round(mos * 100) / 100;
}

/** Twilio's call_state for a leg status. */
export function callState(status: LegStatus): string {
  switch (status) {
    case 'completed':
    case 'busy':
    case 'canceled':
      return status;
    case 'no-answer':
      return 'noanswer';
    case 'failed':
      return 'fail';
    case 'in-progress':
      return 'answered';
    default:
      return 'ringing';
  }
}

/** The SIP final response a leg in this state got (the sandbox's mapping; Twilio reports what its gateway saw). */
function lastSipResponse(facts: CallSummaryFacts): number | null {
  if (facts.answeredAt !== undefined) return 200;
  const codes: Partial<Record<LegStatus, number>> = { busy: 486, 'no-answer': 480, canceled: 487, failed: 503 };
  return codes[facts.status] ?? null;
}

/** `caller` or `callee`: which side's BYE ended the leg. The party of an inbound leg is its caller. */
function disconnectedBy(facts: CallSummaryFacts): 'caller' | 'callee' | null {
  if (facts.endedAt === undefined || facts.endedBy === undefined) return null;
  const partyIsCaller = facts.direction === 'inbound';
  return (facts.endedBy === 'party') === partyIsCaller ? 'caller' : 'callee';
}

const isClient = (address: string): boolean => address.startsWith('client:');

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface CallSummaryOptions {
  /** Where the resource is reached (the sandbox's origin; Twilio's is https://insights.twilio.com). */
  readonly origin: string;
  readonly now: number;
}

/** The Call Summary resource as Twilio's Voice Insights API answers it (snake_case, Twilio's names). */
export function callSummaryJson(facts: CallSummaryFacts, stats: MediaLegStats | undefined, options: CallSummaryOptions): Record<string, unknown> {
  const ended = facts.endedAt !== undefined;
  const until = facts.endedAt ?? options.now;
  const answered = facts.answeredAt !== undefined;
  const partyAddress = facts.direction === 'inbound' ? facts.from : facts.to;
  const callType = isClient(partyAddress) ? 'client' : 'carrier';
  const edge = mediaEdge(facts, stats, answered);
  return {
    account_sid: facts.accountSid,
    call_sid: facts.callSid,
    call_type: callType,
    call_state: callState(facts.status),
    answered_by: 'unknown',
    processing_state: ended ? 'complete' : 'partial',
    created_time: isoSeconds(facts.startedAt),
    start_time: isoSeconds(facts.startedAt),
    end_time: ended ? isoSeconds(until) : null,
    duration: Math.round((until - facts.startedAt) / 1000),
    connect_duration: answered ? Math.round((until - (facts.answeredAt as number)) / 1000) : 0,
    from: party(facts.from, 'caller'),
    to: party(facts.to, 'callee'),
    carrier_edge: callType === 'carrier' ? edge : null,
    client_edge: callType === 'client' ? edge : null,
    // The SDK edge is what the SDK's own sensors publish to Insights; in sandbox mode they publish nothing.
    sdk_edge: null,
    sip_edge: null,
    tags: deriveCallTags(stats, answered),
    url: `${options.origin.replace(/\/+$/, '')}/v1/Voice/${facts.callSid}/Summary`,
    attributes: { conference_participant: false },
    properties: {
      direction: facts.direction,
      disconnected_by: disconnectedBy(facts),
      pdd_ms: facts.ringingAt === undefined ? null : Math.max(0, facts.ringingAt - facts.startedAt),
      last_sip_response_num: lastSipResponse(facts),
      queue_time: 0,
      ...(facts.parentCallSid && { parent_call_sid: facts.parentCallSid }),
    },
    trust: null,
    annotation: null,
  };
}

/** The caller or callee: an SDK client, a number (the sandbox's numbers are all `landline`), or none (a TwiML App). */
function party(address: string, role: 'caller' | 'callee'): Record<string, unknown> {
  const connection = isClient(address) ? 'twilio_sdk' : /^\+?\d{3,15}$/.test(address) ? 'landline' : null;
  return { [role]: address, connection };
}

/** The leg's media gateway edge: what the sandbox measured both ways, or only its properties for a party without RTP. */
function mediaEdge(facts: CallSummaryFacts, stats: MediaLegStats | undefined, answered: boolean): Record<string, unknown> {
  const properties = { direction: facts.direction === 'inbound' ? 'inbound' : 'outbound', media_region: 'sandbox', signaling_region: 'sandbox', edge_location: 'sandbox' };
  if (!stats) return { properties, metrics: null };
  const codec = { codec: stats.payloadType ?? null, codec_name: stats.codecName ?? null };
  const inboundLoss = lossPercent(stats.inbound.packetsLost, stats.inbound.packetsReceived);
  return {
    properties,
    metrics: {
      inbound: {
        ...codec,
        packets_received: stats.inbound.packetsReceived,
        packets_lost: stats.inbound.packetsLost,
        packets_loss_percentage: inboundLoss,
        jitter: { avg: stats.inbound.jitterAvgMs, max: stats.inbound.jitterMaxMs },
        mos: meanOpinionScore(stats.rttAvgMs, stats.inbound.jitterAvgMs, inboundLoss),
        tags: inboundTags(stats, answered),
      },
      outbound: {
        ...codec,
        packets_sent: stats.outbound.packetsSent,
        packets_lost: stats.outbound.packetsLost,
        packets_loss_percentage: lossPercent(stats.outbound.packetsLost, stats.outbound.packetsSent),
        rtt: { avg: stats.rttAvgMs, max: stats.rttMaxMs },
        tags: outboundTags(stats),
      },
    },
  };
}
