import { QUALITY_LIMITS, type QualitySampleColumns } from '@switchboard/shared-contracts';
import { decodeSamples, encodeSamples, SAMPLES_CODEC_VERSION } from './quality-samples-codec';

const fround = (values: ReadonlyArray<number | null>) => values.map((value) => (value === null ? null : Math.fround(value)));

describe('the quality samples codec', () => {
  const samples: QualitySampleColumns = {
    firstSampleAt: 1_796_000_000_123, intervalMs: 1000,
    mos: [null, 4.37, 1, 4.5], rtt: [0, 123.4, 60_000, 7], jitter: [1.5, 0, 30.25, 2], packetLossPercent: [0, 100, 3.3, 0.01],
    inputLevel: [0, 1, 0.5, 0.123], outputLevel: [1, 0, 0.25, 0.999],
  };

  it('round-trips every column (Float32 precision), null MOS included, and the timing header exactly', () => {
    const decoded = decodeSamples(encodeSamples(samples));
    expect(decoded).toEqual({
      firstSampleAt: samples.firstSampleAt, intervalMs: 1000, mos: fround(samples.mos), rtt: fround(samples.rtt), jitter: fround(samples.jitter),
      packetLossPercent: fround(samples.packetLossPercent), inputLevel: fround(samples.inputLevel), outputLevel: fround(samples.outputLevel),
    });
    expect(decoded.mos[1]).toBeCloseTo(4.37, 5);
  });

  it('is compact: 4 h of samples in 24 bytes a second plus a 17-byte header, and reads back from a Uint8Array view', () => {
    const n = QUALITY_LIMITS.maxSamples;
    const column = () => Array.from({ length: n }, (_, i) => (i % 100) / 100);
    const big: QualitySampleColumns = { firstSampleAt: 0, intervalMs: 1000, mos: column().map((v) => 1 + v), rtt: column(), jitter: column(), packetLossPercent: column(), inputLevel: column(), outputLevel: column() };
    const bytes = encodeSamples(big);
    expect(bytes.length).toBe(17 + 24 * n);
    const view = new Uint8Array(new ArrayBuffer(bytes.length + 8), 8, bytes.length);
    view.set(bytes);
    expect(decodeSamples(view).rtt).toEqual(fround(big.rtt));
  });

  it('encodes an empty leg, and refuses an unknown version or truncated bytes', () => {
    const empty = { ...samples, mos: [], rtt: [], jitter: [], packetLossPercent: [], inputLevel: [], outputLevel: [] };
    expect(decodeSamples(encodeSamples(empty))).toEqual(empty);
    const bytes = encodeSamples(samples);
    expect(bytes[0]).toBe(SAMPLES_CODEC_VERSION);
    expect(() => decodeSamples(Buffer.concat([Buffer.from([9]), bytes.subarray(1)]))).toThrow('Unknown quality samples version 9');
    expect(() => decodeSamples(bytes.subarray(0, bytes.length - 4))).toThrow('truncated');
  });
});
