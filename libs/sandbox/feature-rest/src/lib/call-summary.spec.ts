import type { MediaLegStats } from '@switchboard/sandbox-model';
import { CALL_TAG_RULES, callState, callSummaryJson, deriveCallTags, meanOpinionScore, type CallSummaryFacts } from './call-summary';

const AC = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

function stats(overrides: { inbound?: Partial<MediaLegStats['inbound']>; outbound?: Partial<MediaLegStats['outbound']>; rttAvgMs?: number | null } = {}): MediaLegStats {
  return {
    codecName: 'pcmu',
    payloadType: 0,
    inbound: { packetsReceived: 1000, packetsLost: 0, jitterAvgMs: 1, jitterMaxMs: 4, peakLevel: 12000, ...overrides.inbound },
    outbound: { packetsSent: 1000, packetsLost: 0, ...overrides.outbound },
    rttAvgMs: overrides.rttAvgMs === undefined ? 2 : overrides.rttAvgMs,
    rttMaxMs: overrides.rttAvgMs ?? 3,
  };
}

const facts = (overrides: Partial<CallSummaryFacts> = {}): CallSummaryFacts => ({
  callSid: 'CA00000000000000000000000000000001', accountSid: AC, from: 'client:alice', to: '+14155550111', direction: 'inbound',
  status: 'completed', startedAt: T0, ringingAt: T0 + 120, answeredAt: T0 + 1000, endedAt: T0 + 31_000, endedBy: 'party', ...overrides,
});

describe('Call Summary tags (Twilio edge rules on what the sandbox measured)', () => {
  it('a clean call has no tags', () => {
    expect(deriveCallTags(stats(), true)).toEqual([]);
  });

  it('20 % loss the fault injected on the way in is high_packet_loss; 5 % exactly is not (Twilio: > 5 %)', () => {
    expect(deriveCallTags(stats({ inbound: { packetsReceived: 800, packetsLost: 200 } }), true)).toEqual(['high_packet_loss']);
    expect(deriveCallTags(stats({ inbound: { packetsReceived: 950, packetsLost: 50 } }), true)).toEqual([]);
  });

  it('loss on the way out (packets the fault kept from the party) counts too', () => {
    expect(deriveCallTags(stats({ outbound: { packetsSent: 800, packetsLost: 200 } }), true)).toEqual(['high_packet_loss']);
  });

  it('high_jitter needs both the average (5 ms) and the maximum (30 ms)', () => {
    expect(deriveCallTags(stats({ inbound: { jitterAvgMs: 6, jitterMaxMs: 35 } }), true)).toEqual(['high_jitter']);
    expect(deriveCallTags(stats({ inbound: { jitterAvgMs: 6, jitterMaxMs: 20 } }), true)).toEqual([]);
    expect(deriveCallTags(stats({ inbound: { jitterAvgMs: 2, jitterMaxMs: 80 } }), true)).toEqual([]);
  });

  it('silence: an answered leg that received no audio stream, or only digital silence', () => {
    expect(deriveCallTags(stats({ inbound: { packetsReceived: 0, jitterAvgMs: null, jitterMaxMs: null, peakLevel: 0 } }), true)).toEqual(['silence']);
    expect(deriveCallTags(stats({ inbound: { peakLevel: CALL_TAG_RULES.silencePeak } }), true)).toEqual(['silence']);
    expect(deriveCallTags(stats({ inbound: { peakLevel: 0 } }), false)).toEqual([]);
  });

  it('high_latency from the RTT the party reported (the SDK edge rule, > 400 ms)', () => {
    expect(deriveCallTags(stats({ rttAvgMs: 450 }), true)).toEqual(['high_latency']);
    expect(deriveCallTags(stats({ rttAvgMs: 400 }), true)).toEqual([]);
  });

  it('several conditions give several tags in a stable order; no measurements, no tags', () => {
    const bad = stats({ inbound: { packetsReceived: 700, packetsLost: 300, jitterAvgMs: 9, jitterMaxMs: 60, peakLevel: 0 }, rttAvgMs: 500 });
    expect(deriveCallTags(bad, true)).toEqual(['high_packet_loss', 'high_jitter', 'high_latency', 'silence']);
    expect(deriveCallTags(undefined, true)).toEqual([]);
  });
});

describe('Call Summary resource', () => {
  it("uses Twilio's field names and values for an ended SDK leg", () => {
    const json = callSummaryJson(facts({ to: 'client:bob', direction: 'outbound-dial', from: '+14155550100', endedBy: 'sandbox' }), stats(), {
      origin: 'https://127.0.0.1:8443', now: T0 + 60_000,
    });
    expect(json).toMatchObject({
      account_sid: AC, call_type: 'client', call_state: 'completed', processing_state: 'complete',
      created_time: '2026-12-06T12:00:00Z', end_time: '2026-12-06T12:00:31Z', duration: 31, connect_duration: 30,
      from: { caller: '+14155550100', connection: 'landline' }, to: { callee: 'client:bob', connection: 'twilio_sdk' },
      carrier_edge: null, sdk_edge: null, tags: [],
      // The sandbox hung up the callee's leg (e.g. the caller left the bridge): the BYE came from the caller's side.
      properties: { direction: 'outbound-dial', disconnected_by: 'caller', pdd_ms: 120, last_sip_response_num: 200 },
      client_edge: { metrics: { inbound: { packets_received: 1000, packets_lost: 0, codec_name: 'pcmu', jitter: { avg: 1, max: 4 } }, outbound: { packets_sent: 1000 } } },
      url: 'https://127.0.0.1:8443/v1/Voice/CA00000000000000000000000000000001/Summary',
    });
  });

  it('disconnected_by: the party of an inbound leg is its caller', () => {
    const props = (f: CallSummaryFacts) => callSummaryJson(f, undefined, { origin: 'https://x', now: T0 })['properties'] as Record<string, unknown>;
    expect(props(facts({ endedBy: 'party' }))['disconnected_by']).toBe('caller');
    expect(props(facts({ endedBy: 'sandbox' }))['disconnected_by']).toBe('callee');
    expect(props(facts({ direction: 'outbound-api', to: 'client:bob', endedBy: 'party' }))['disconnected_by']).toBe('callee');
    expect(props(facts({ endedAt: undefined, status: 'in-progress' }))['disconnected_by']).toBeNull();
  });

  it('a live leg is partial, with its duration so far; a carrier leg without RTP has no metrics', () => {
    const json = callSummaryJson(facts({ from: '+15005550006', to: '+14155550100', status: 'in-progress', endedAt: undefined, endedBy: undefined }), undefined, {
      origin: 'https://x', now: T0 + 11_000,
    });
    expect(json).toMatchObject({ processing_state: 'partial', call_state: 'answered', end_time: null, duration: 11, connect_duration: 10, call_type: 'carrier' });
    expect(json['carrier_edge']).toMatchObject({ metrics: null });
    const appCall = callSummaryJson(facts({ to: '' }), undefined, { origin: 'https://x', now: T0 });
    expect(appCall['to']).toEqual({ callee: '', connection: null });
  });

  it('maps every leg status to a call_state and a SIP response', () => {
    expect(['completed', 'busy', 'no-answer', 'canceled', 'failed', 'in-progress', 'ringing'].map((s) => callState(s as never))).toEqual([
      'completed', 'busy', 'noanswer', 'canceled', 'fail', 'answered', 'ringing',
    ]);
    const busy = callSummaryJson(facts({ status: 'busy', answeredAt: undefined }), undefined, { origin: 'https://x', now: T0 });
    expect((busy['properties'] as Record<string, unknown>)['last_sip_response_num']).toBe(486);
  });

  it("MOS follows the SDK's formula: good on a clean LAN, worse with loss", () => {
    const clean = meanOpinionScore(2, 1, 0) as number;
    expect(clean).toBeGreaterThan(4.3);
    expect(meanOpinionScore(2, 1, 20) as number).toBeLessThan(clean - 1);
    expect(meanOpinionScore(null, 1, 0)).toBeNull();
  });
});
