import { concatPcm, durationMs, muLawToLinear, pcm, resampleTo8k, rms, sampleCount, silence } from './pcm';

describe('PCM helpers', () => {
  it('wraps samples as 8 kHz audio without copying them', () => {
    const samples = Int16Array.from([1, -2, 3]);
    const audio = pcm(samples);
    expect(audio.sampleRate).toBe(8000);
    expect(audio.samples).toBe(samples);
  });

  it('counts samples and milliseconds at 8 kHz', () => {
    expect(sampleCount(20)).toBe(160);
    expect(sampleCount(0.0624)).toBe(0);
    expect(sampleCount(0.0625)).toBe(1);
    expect(durationMs(pcm(new Int16Array(800)))).toBe(100);
    expect(durationMs(pcm(new Int16Array(4)))).toBe(0.5);
  });

  it('makes silence of the asked length, all zeros', () => {
    const quiet = silence(250);
    expect(quiet.samples.length).toBe(2000);
    expect(quiet.samples.every((s) => s === 0)).toBe(true);
    expect(silence(0).samples.length).toBe(0);
  });

  it('joins parts in order', () => {
    const joined = concatPcm([pcm(Int16Array.from([1, 2])), pcm(new Int16Array(0)), pcm(Int16Array.from([-3]))]);
    expect(joined.sampleRate).toBe(8000);
    expect(Array.from(joined.samples)).toEqual([1, 2, -3]);
    expect(concatPcm([]).samples.length).toBe(0);
  });

  it('measures RMS over the whole array or a range', () => {
    expect(rms(Int16Array.from([3, -4, 3, -4]))).toBeCloseTo(Math.sqrt(12.5), 10);
    expect(rms(Int16Array.from([32767, -32767]))).toBe(32767);
    expect(rms(Int16Array.from([1000, 1000, 0, 0]), 2, 4)).toBe(0);
    expect(rms(Int16Array.from([0, 0, 10, -10]), 2)).toBe(10);
    expect(rms(Int16Array.from([5, 5]), 1, 1)).toBe(0);
    expect(rms(new Int16Array(0))).toBe(0);
    expect(rms(silence(200).samples)).toBe(0);
  });

  it('resamples to 8 kHz: copies, averages down, interpolates up, clamps', () => {
    expect(Array.from(resampleTo8k(Float32Array.from([1.4, -2.6, 40000, -40000]), 8000).samples)).toEqual([
      1, -3, 32767, -32768,
    ]);
    expect(resampleTo8k(new Int16Array(22050), 22050).samples.length).toBe(8000);
    expect(Array.from(resampleTo8k(Int16Array.from([100, 300, -50, -150]), 16000).samples)).toEqual([200, -100]);
    expect(Array.from(resampleTo8k(Int16Array.from([0, 100]), 4000).samples)).toEqual([0, 50, 100, 100]);
    expect(() => resampleTo8k(new Int16Array(4), 0)).toThrow(/Invalid sample rate/);
    expect(() => resampleTo8k(new Int16Array(4), Number.NaN)).toThrow(/Invalid sample rate/);
  });

  it('expands G.711 µ-law bytes', () => {
    expect(muLawToLinear(0xff)).toBe(0);
    expect(muLawToLinear(0x7f) === 0).toBe(true); // negative zero, which an Int16Array stores as 0
    expect(muLawToLinear(0x00)).toBe(-32124);
    expect(muLawToLinear(0x80)).toBe(32124);
    expect(muLawToLinear(0xfe)).toBe(8);
    expect(muLawToLinear(0x7e)).toBe(-8);
  });
});
