import type { MediaLegStats } from '@switchboard/sandbox-model';
import { MediaStatsRegistry } from './media-stats-registry';
import { InboundRtpMeter, mergeMediaLegStats } from './rtp-stats';
import { FRAME_SAMPLES } from './tones';
import { WebRtcMediaEngine, type WebRtcEndpoint } from './webrtc-endpoint';

const PCMU_RATE = 8000;

describe('InboundRtpMeter (RFC 3550 receiver figures)', () => {
  it('a steady 20 ms stream: every packet received, none lost, no jitter', () => {
    const meter = new InboundRtpMeter();
    for (let i = 0; i < 100; i++) meter.packet(1000 + i, 160 * i, 20 * i, PCMU_RATE);
    expect(meter.snapshot()).toMatchObject({ packetsReceived: 100, packetsLost: 0, jitterAvgMs: 0, jitterMaxMs: 0 });
  });

  it('sequence gaps are lost packets, across the 16-bit wrap; a late duplicate does not move the count back', () => {
    const meter = new InboundRtpMeter();
    const seqs = [65530, 65531, 65533, 65534, 0, 3, 4, 2];
    seqs.forEach((seq, i) => meter.packet(seq, 160 * i, 20 * i, PCMU_RATE));
    // Expected 65530..4 = 11 packets, 8 arrived (the late 2 included): 3 lost.
    expect(meter.snapshot()).toMatchObject({ packetsReceived: 8, packetsLost: 3 });
  });

  it('uneven arrival gives jitter in milliseconds, its mean below its maximum', () => {
    const meter = new InboundRtpMeter();
    for (let i = 0; i < 200; i++) meter.packet(i, 160 * i, 20 * i + (i % 2 === 0 ? 0 : 15), PCMU_RATE);
    const { jitterAvgMs, jitterMaxMs } = meter.snapshot();
    expect(jitterMaxMs).toBeGreaterThan(10);
    expect(jitterAvgMs).toBeGreaterThan(5);
    expect(jitterAvgMs as number).toBeLessThanOrEqual(jitterMaxMs as number);
  });

  it('keeps the loudest decoded sample (0 for digital silence)', () => {
    const meter = new InboundRtpMeter();
    meter.level(new Int16Array(FRAME_SAMPLES));
    expect(meter.snapshot().peakLevel).toBe(0);
    meter.level(Int16Array.from([3, -4000, 200]));
    expect(meter.snapshot().peakLevel).toBe(4000);
  });
});

const figures = (received: number, lost: number, jitterAvgMs: number | null, jitterMaxMs: number | null): MediaLegStats => ({
  codecName: 'pcmu', payloadType: 0,
  inbound: { packetsReceived: received, packetsLost: lost, jitterAvgMs, jitterMaxMs, peakLevel: received > 0 ? 5000 : 0 },
  outbound: { packetsSent: received, packetsLost: lost }, rttAvgMs: null, rttMaxMs: null,
});

describe('one leg, several endpoints', () => {
  it('merges sums, packet-weighted means and maxima (a fork that only rang adds nothing)', () => {
    const merged = mergeMediaLegStats([figures(300, 0, 2, 5), figures(0, 0, null, null), figures(100, 100, 6, 40)]);
    expect(merged).toMatchObject({
      inbound: { packetsReceived: 400, packetsLost: 100, jitterAvgMs: 3, jitterMaxMs: 40, peakLevel: 5000 },
      outbound: { packetsSent: 400, packetsLost: 100 },
      rttAvgMs: null,
    });
    expect(mergeMediaLegStats([])).toBeUndefined();
  });

  it('the registry reads open endpoints live, freezes closed ones, and forgets the oldest ended legs beyond its bound', () => {
    const registry = new MediaStatsRegistry(2);
    let live = figures(10, 0, 1, 1);
    const closeA = registry.track('CA-a', () => live);
    live = figures(20, 0, 1, 1);
    expect(registry.get('CA-a')?.inbound.packetsReceived).toBe(20);
    closeA();
    live = figures(99, 0, 1, 1);
    expect(registry.get('CA-a')?.inbound.packetsReceived).toBe(20);
    const open = registry.track('CA-b', () => figures(1, 0, 1, 1));
    registry.track('CA-c', () => figures(2, 0, 1, 1))();
    expect(registry.get('CA-a')).toBeUndefined(); // ended, oldest: gone
    expect(registry.get('CA-b')).toBeDefined(); // live legs are never dropped
    expect(registry.size).toBe(2);
    open();
  });
});

describe('WebRtcEndpoint figures (two real werift endpoints over loopback)', () => {
  const registry = new MediaStatsRegistry();
  const engine = new WebRtcMediaEngine('127.0.0.1', undefined, registry);
  let caller: WebRtcEndpoint;
  let callee: WebRtcEndpoint;

  beforeEach(async () => {
    caller = engine.createEndpoint('CAcaller');
    callee = engine.createEndpoint('CAcallee/1');
    await caller.acceptAnswer(await callee.answer(await caller.offer()));
    await Promise.all([caller, callee].map((e) => new Promise<void>((resolve) => {
      const stop = e.onFrame(() => {
        stop();
        resolve();
      });
    })));
  }, 20_000);

  afterEach(() => {
    caller.close();
    callee.close();
  });

  /** Waits until `endpoint` has received `count` more packets than it had. */
  function packetsArrive(endpoint: WebRtcEndpoint, count: number): Promise<void> {
    const target = endpoint.stats().inbound.packetsReceived + count;
    return new Promise((resolve) => {
      const stop = endpoint.onFrame(() => {
        if (endpoint.stats().inbound.packetsReceived < target) return;
        stop();
        resolve();
      });
    });
  }

  it('a clean loopback leg: packets both ways, no loss, small jitter, audio heard', async () => {
    caller.setSource(() => new Int16Array(FRAME_SAMPLES).fill(2000));
    await packetsArrive(callee, 50);
    const stats = callee.stats();
    expect(stats.codecName).toBe('pcmu');
    expect(stats.inbound.packetsLost).toBe(0);
    expect(stats.inbound.peakLevel).toBeGreaterThan(1000);
    expect(stats.inbound.jitterMaxMs).not.toBeNull();
    expect(stats.outbound.packetsSent).toBeGreaterThan(0);
    expect(stats.outbound.packetsLost).toBe(0);
  }, 20_000);

  it('lose(20) shows as about 20 % lost both ways on the faulty leg, and the figures outlive the endpoint', async () => {
    callee.lose(20, 30_000);
    await packetsArrive(callee, 200);
    const { inbound, outbound } = callee.stats();
    const inboundPct = (100 * inbound.packetsLost) / (inbound.packetsLost + inbound.packetsReceived);
    const outboundPct = (100 * outbound.packetsLost) / (outbound.packetsLost + outbound.packetsSent);
    // Binomial(≥250, 0.2): outside 8..35 % has a probability far below 1e-6.
    expect(inboundPct).toBeGreaterThan(8);
    expect(inboundPct).toBeLessThan(35);
    expect(outboundPct).toBeGreaterThan(8);
    expect(outboundPct).toBeLessThan(35);
    callee.close();
    const kept = registry.get('CAcallee');
    expect(kept?.inbound.packetsLost).toBe(callee.stats().inbound.packetsLost);
  }, 30_000);
});
