import type { LineTest, QualityRecord, QualitySampleColumns } from '@switchboard/shared-contracts';

/** Test data for the quality components (and the feature libs' specs, through the testing entry point). */
export const START_MS = Date.parse('2026-12-06T10:00:00.000Z');

export function sampleColumns(count: number, overrides: Partial<QualitySampleColumns> = {}): QualitySampleColumns {
  const fill = <T>(value: (i: number) => T) => Array.from({ length: count }, (_, i) => value(i));
  return {
    firstSampleAt: START_MS, intervalMs: 1000,
    mos: fill(() => 4.3), rtt: fill(() => 40), jitter: fill(() => 5), packetLossPercent: fill(() => 0),
    inputLevel: fill(() => 0.2), outputLevel: fill(() => 0.2),
    ...overrides,
  };
}

export function qualityRecord(overrides: Partial<QualityRecord> = {}): QualityRecord {
  const figures = { min: 4.1, avg: 4.3, max: 4.4 };
  return {
    id: 'q1', callSid: 'CA1', callId: 'c1', identity: 'alice', direction: 'inbound',
    startedAt: '2026-12-06T10:00:00.000Z', endedAt: '2026-12-06T10:00:10.000Z',
    summary: {
      band: 'poor', sampleCount: 10, mos: figures, rtt: { min: 30, avg: 40, max: 50 }, jitter: { min: 2, avg: 5, max: 9 },
      packetLossPercent: { min: 0, avg: 2.5, max: 10 }, secondsPast: { mos: 0, rtt: 0, jitter: 0, packetLoss: 4 }, warningNames: ['high-packet-loss'],
    },
    samples: sampleColumns(10, { packetLossPercent: [0, 0, 0, 10, 10, 10, 0, 0, 0, 0] }),
    warnings: [{ name: 'high-packet-loss', startedAt: '2026-12-06T10:00:03.000Z', endedAt: '2026-12-06T10:00:06.000Z' }],
    setup: [
      { step: 'invite-to-ringing', at: '2026-12-06T09:59:59.000Z', durationMs: 420, error: null },
      { step: 'answer-to-media', at: '2026-12-06T10:00:00.000Z', durationMs: 1250, error: null },
    ],
    media: {
      codec: 'opus', localCandidateType: 'host', remoteCandidateType: 'relay', networkType: 'wifi', edge: 'ashburn', dscp: true,
      sdkVersion: '2.18.5', inputDeviceLabel: 'Headset mic', outputDeviceLabel: 'Headset',
    },
    platform: { browser: 'Chrome', browserVersion: '131', os: 'Linux' },
    rating: null,
    twilioSummary: null,
    ...overrides,
  };
}

export function lineTest(overrides: Partial<LineTest> = {}): LineTest {
  return {
    id: 'lt1', identity: 'alice', verdict: 'good', platform: { browser: 'Chrome', browserVersion: '131', os: 'Linux' },
    callSid: 'CA9', startedAt: '2026-12-06T09:00:00.000Z', endedAt: '2026-12-06T09:00:15.000Z', callQuality: 'good', edge: 'ashburn',
    mos: { min: 4, avg: 4.2, max: 4.4 }, rtt: { min: 30, avg: 45, max: 60 }, jitter: { min: 1, avg: 3, max: 6 }, packetLossPercent: 0.5,
    timing: { signalingMs: 100, iceMs: 50, dtlsMs: 40, peerConnectionMs: 90 }, warnings: [], error: null,
    ...overrides,
  };
}
