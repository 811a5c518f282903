import { rms } from './pcm';
import { FirDecimator, FirInterpolator, lowPassTaps, OPUS_RESAMPLER_TAPS } from './resample';

/** `count` samples of a sine at `hz`, sampled at `rate`, starting at sample `from`. */
function sine(hz: number, rate: number, count: number, amplitude = 10_000, from = 0): Int16Array {
  return Int16Array.from({ length: count }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * (i + from)) / rate)));
}

/** Feeds `input` through `process` in chunks of `chunk` samples and joins the outputs. */
function inChunks(process: (chunk: Int16Array) => Int16Array, input: Int16Array, chunk: number): Int16Array {
  const parts: number[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(...process(input.subarray(i, i + chunk)));
  return Int16Array.from(parts);
}

function maxAbsDifference(a: Int16Array, b: Int16Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** The FIR's delay in high-rate samples (it is symmetric). */
const DELAY_48K = (OPUS_RESAMPLER_TAPS - 1) / 2;

describe('lowPassTaps', () => {
  it('is symmetric, sums to 1 and peaks in the middle', () => {
    const taps = lowPassTaps(OPUS_RESAMPLER_TAPS, 3600 / 48000);
    expect(taps.length).toBe(127);
    expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let n = 0; n < taps.length; n++) expect(taps[n]).toBeCloseTo(taps[taps.length - 1 - n], 15);
    expect(Math.max(...taps)).toBe(taps[63]);
  });

  it('refuses an even length or a cutoff outside (0, 0.5)', () => {
    expect(() => lowPassTaps(8, 0.1)).toThrow(/odd/);
    expect(() => lowPassTaps(9, 0.5)).toThrow(/Cutoff/);
    expect(() => lowPassTaps(9, 0)).toThrow(/Cutoff/);
  });
});

describe('FirDecimator (48 kHz → 8 kHz)', () => {
  it('turns each 20 ms frame of 960 samples into exactly 160', () => {
    const down = new FirDecimator(6, 48000);
    for (let frame = 0; frame < 3; frame++) expect(down.process(sine(1000, 48000, 960, 10_000, frame * 960)).length).toBe(160);
  });

  it('gives the same samples whether the stream comes in one piece or in uneven chunks', () => {
    const input = sine(1000, 48000, 4800);
    const whole = new FirDecimator(6, 48000).process(input);
    expect(whole.length).toBe(800);
    const chunked = new FirDecimator(6, 48000);
    expect(Array.from(inChunks((c) => chunked.process(c), input, 7))).toEqual(Array.from(whole));
  });

  it('keeps a constant exactly, once the filter is full', () => {
    const out = new FirDecimator(6, 48000).process(new Int16Array(4800).fill(-12_345));
    expect(Array.from(out.subarray(Math.ceil(OPUS_RESAMPLER_TAPS / 6)))).toEqual(new Array(800 - 22).fill(-12_345));
  });

  it('passes a 1 kHz tone unchanged but for the filter delay (within 1% of full amplitude)', () => {
    const out = new FirDecimator(6, 48000).process(sine(1000, 48000, 9600));
    // Output m is input sample 6m, delayed by the filter: sin(2π·1000·(6m − 63)/48000).
    const expected = Int16Array.from({ length: 1600 }, (_, m) => Math.round(10_000 * Math.sin((2 * Math.PI * 1000 * (6 * m - DELAY_48K)) / 48000)));
    expect(maxAbsDifference(out.subarray(40), expected.subarray(40))).toBeLessThan(100);
  });

  it.each([5000, 6000, 7000, 10_000, 20_000])('removes a %i Hz tone (it would fold into the band) by more than 60 dB', (hz) => {
    const out = new FirDecimator(6, 48000).process(sine(hz, 48000, 9600));
    expect(rms(out, 40)).toBeLessThan((10_000 / Math.SQRT2) * 0.001);
  });
});

describe('FirInterpolator (8 kHz → 48 kHz)', () => {
  it('turns each 20 ms frame of 160 samples into exactly 960', () => {
    const up = new FirInterpolator(6, 48000);
    expect(up.process(sine(1000, 8000, 160)).length).toBe(960);
  });

  it('gives the same samples whether the stream comes in one piece or in uneven chunks', () => {
    const input = sine(1000, 8000, 800);
    const whole = new FirInterpolator(6, 48000).process(input);
    const chunked = new FirInterpolator(6, 48000);
    expect(Array.from(inChunks((c) => chunked.process(c), input, 13))).toEqual(Array.from(whole));
  });

  it('keeps a constant exactly at every output sample, once the filter is full (no ripple at 8 kHz)', () => {
    const out = new FirInterpolator(6, 48000).process(new Int16Array(800).fill(23_456));
    expect(Array.from(out.subarray(OPUS_RESAMPLER_TAPS))).toEqual(new Array(4800 - OPUS_RESAMPLER_TAPS).fill(23_456));
  });

  it('rebuilds a 1 kHz tone at 48 kHz with no images (within 1% of full amplitude of the ideal sine)', () => {
    const out = new FirInterpolator(6, 48000).process(sine(1000, 8000, 1600));
    const expected = Int16Array.from({ length: 9600 }, (_, n) => Math.round(10_000 * Math.sin((2 * Math.PI * 1000 * (n - DELAY_48K)) / 48000)));
    // Any image (7, 9, 15, 17 kHz…) would show up as a difference from the one ideal sine.
    expect(maxAbsDifference(out.subarray(200), expected.subarray(200))).toBeLessThan(100);
  });

  it('round-trips 8 kHz → 48 kHz → 8 kHz: a 1 kHz tone comes back, 21 samples later', () => {
    const up = new FirInterpolator(6, 48000);
    const down = new FirDecimator(6, 48000);
    const input = sine(1000, 8000, 1600);
    const back = inChunks((frame) => down.process(up.process(frame)), input, 160);
    expect(back.length).toBe(1600);
    // Two 63-sample delays at 48 kHz are 126 / 6 = 21 samples at 8 kHz.
    expect(maxAbsDifference(back.subarray(100), sine(1000, 8000, 1500, 10_000, 100 - 21))).toBeLessThan(150);
  });

  it('refuses a factor that is not a positive integer', () => {
    expect(() => new FirInterpolator(1.5, 48000)).toThrow(/integer/);
    expect(() => new FirDecimator(0, 48000)).toThrow(/integer/);
  });
});
