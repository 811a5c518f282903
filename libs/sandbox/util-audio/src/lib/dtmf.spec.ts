import { DTMF_BLOCK_SAMPLES, DtmfToneDetector, detectDtmfBlock, dtmfFrequencies, dtmfTone } from './dtmf';
import { concatPcm, pcm, rms, silence, type Pcm8k } from './pcm';

const ALL_DIGITS = '123A456B789C*0#D';

/** Digits the detector reports for `audio`, pushed in frames of `frameSamples` and followed by silence. */
function hear(audio: Pcm8k, frameSamples = 160): string {
  let digits = '';
  const detector = new DtmfToneDetector((digit) => (digits += digit));
  const samples = concatPcm([audio, silence(200)]).samples;
  for (let offset = 0; offset < samples.length; offset += frameSamples) detector.push(samples.subarray(offset, offset + frameSamples));
  return digits;
}

/** Deterministic white noise (a linear congruential generator), uniform in ±amplitude. */
function noise(ms: number, amplitude: number, seed = 7): Pcm8k {
  let state = seed;
  const samples = new Int16Array((ms * 8000) / 1000);
  for (let i = 0; i < samples.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    samples[i] = Math.round(((state / 2147483648) * 2 - 1) * amplitude);
  }
  return pcm(samples);
}

/** `b` added into `a` from `offsetSamples` on, clipped. */
function mix(a: Pcm8k, b: Pcm8k, offsetSamples = 0): Pcm8k {
  const out = Int16Array.from(a.samples);
  const end = Math.min(b.samples.length, out.length - offsetSamples);
  for (let i = 0; i < end; i++) out[i + offsetSamples] = Math.max(-32768, Math.min(32767, out[i + offsetSamples] + b.samples[i]));
  return pcm(out);
}

function sine(hz: number, ms: number, amplitude = 4000): Pcm8k {
  return pcm(Int16Array.from({ length: (ms * 8000) / 1000 }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000))));
}

describe('DTMF tones', () => {
  it('maps the 16 keys to their row and column frequencies', () => {
    expect(dtmfFrequencies('1')).toEqual([697, 1209]);
    expect(dtmfFrequencies('0')).toEqual([941, 1336]);
    expect(dtmfFrequencies('#')).toEqual([941, 1477]);
    expect(dtmfFrequencies('D')).toEqual([941, 1633]);
    expect(dtmfFrequencies('x')).toBeUndefined();
    expect(dtmfFrequencies('12')).toBeUndefined();
    expect(() => dtmfTone('w')).toThrow(/DTMF/);
  });

  it('makes a tone pair of the asked length at a phone\'s level', () => {
    const tone = dtmfTone('5', 100);
    expect(tone.samples.length).toBe(800);
    // Two sines of amplitude 4000: RMS 4000 (a little less with the ramps).
    expect(rms(tone.samples)).toBeGreaterThan(3800);
    expect(rms(tone.samples)).toBeLessThanOrEqual(4000);
  });
});

describe('DtmfToneDetector (Goertzel)', () => {
  it.each([...ALL_DIGITS])('hears %s once in a 100 ms tone', (digit) => {
    expect(hear(concatPcm([silence(30), dtmfTone(digit, 100)]))).toBe(digit);
  });

  it('hears all 16 digits in a row, 70 ms tones with 40 ms gaps', () => {
    const audio = concatPcm([...ALL_DIGITS].flatMap((digit) => [dtmfTone(digit, 70), silence(40)]));
    expect(hear(audio)).toBe(ALL_DIGITS);
  });

  it('hears a 70 ms tone wherever it starts in a block, and whatever the frame size', () => {
    for (let lead = 0; lead < DTMF_BLOCK_SAMPLES; lead += 8) {
      expect(hear(concatPcm([pcm(new Int16Array(lead)), dtmfTone('9', 70)]))).toBe('9');
    }
    const audio = concatPcm([silence(13), dtmfTone('*', 100), silence(60), dtmfTone('#', 100)]);
    for (const frameSamples of [1, 7, 160, 333, 4000]) expect(hear(audio, frameSamples)).toBe('*#');
  });

  it('ignores tones of 20 ms or less, wherever they start', () => {
    for (let lead = 0; lead < DTMF_BLOCK_SAMPLES; lead += 8) {
      for (const ms of [10, 20]) expect(hear(concatPcm([pcm(new Int16Array(lead)), dtmfTone('1', ms), silence(100)]))).toBe('');
    }
  });

  it('reports a held key once, and a repeated key once per press when a gap separates the presses', () => {
    expect(hear(dtmfTone('4', 2000))).toBe('4');
    const presses = concatPcm([dtmfTone('1', 100), silence(40), dtmfTone('1', 100), silence(70), dtmfTone('1', 100), silence(200), dtmfTone('2', 100)]);
    expect(hear(presses)).toBe('1112');
    // Switching keys without a gap is two presses as well.
    expect(hear(concatPcm([dtmfTone('7', 100), dtmfTone('8', 100)]))).toBe('78');
  });

  it('hears nothing in silence, white noise, single sines or a chord of two rows', () => {
    expect(hear(silence(2000))).toBe('');
    expect(hear(noise(10_000, 16000))).toBe('');
    expect(hear(noise(10_000, 800))).toBe('');
    for (const hz of [697, 941, 1209, 1633, 440, 1000]) expect(hear(sine(hz, 500))).toBe('');
    expect(hear(mix(sine(697, 500), sine(852, 500)))).toBe('');
    // A third loud tone alongside the pair takes too much of the power for it to be a key press.
    expect(hear(mix(dtmfTone('5', 500), sine(400, 500, 8000)))).toBe('');
  });

  it('still hears a digit under noise 6 dB quieter than the tone', () => {
    // Tone RMS 4000; uniform noise of amplitude 3460 has RMS 2000.
    expect(hear(mix(noise(1000, 3460), dtmfTone('6', 100), 3200))).toBe('6');
    expect(hear(mix(noise(1000, 3460, 99), dtmfTone('C', 100), 1000))).toBe('C');
  });

  it('ignores a tone pair too quiet to be a key press (below -50 dBFS)', () => {
    expect(hear(dtmfTone('3', 200, 60))).toBe('');
    expect(hear(dtmfTone('3', 200, 200))).toBe('3');
    expect(detectDtmfBlock(new Int16Array(DTMF_BLOCK_SAMPLES))).toBeUndefined();
  });
});
