/**
 * Streaming integer-factor resampling between the sandbox's 8 kHz and a codec's higher rate (Opus runs at 48 kHz:
 * a factor of 6). Both directions use the same windowed-sinc low-pass FIR at the high rate:
 * - down: filter, then keep every `factor`-th sample, so nothing above 4 kHz folds back into the telephone band;
 * - up: put `factor - 1` zeros between samples, then filter (with gain `factor`) to remove the images.
 * Each instance keeps its filter history, so a stream cut into 20 ms frames resamples exactly as it would in one
 * piece. Output is rounded and clamped to 16 bits.
 */

/** Low-pass taps: a sinc cut off at `cutoff` (a fraction of the sample rate, 0..0.5) under a Blackman window, summing to 1. */
export function lowPassTaps(length: number, cutoff: number): Float64Array {
  if (!Number.isInteger(length) || length < 1 || length % 2 === 0) throw new Error(`FIR length must be odd and positive, got ${length}`);
  if (!(cutoff > 0 && cutoff < 0.5)) throw new Error(`Cutoff must be between 0 and 0.5 of the sample rate, got ${cutoff}`);
  const taps = new Float64Array(length);
  const middle = (length - 1) / 2;
  let sum = 0;
  for (let n = 0; n < length; n++) {
    const x = n - middle;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const window = length === 1 ? 1 : 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (length - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (length - 1));
    taps[n] = sinc * window;
    sum += taps[n];
  }
  // Unity gain at DC: a constant stays the same constant.
  for (let n = 0; n < length; n++) taps[n] /= sum;
  return taps;
}

/**
 * 127 taps at 48 kHz with the cutoff at 3.6 kHz: flat below ~2.5 kHz, down by over 70 dB above ~4.7 kHz
 * (Blackman's transition is about 5.5 × rate / taps ≈ 2.1 kHz wide). 1.3 ms of delay each way.
 */
export const OPUS_RESAMPLER_TAPS = 127;
const CUTOFF_HZ = 3600;

function clamp16(value: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(value)));
}

/** High rate → low rate by an integer `factor` (48 kHz → 8 kHz: 6). */
export class FirDecimator {
  private readonly taps: Float64Array;
  /** The last `taps - 1` input samples, oldest first, then room for the next chunk. */
  private history: Float64Array;
  /** How many input samples to skip before the next kept one (when a chunk is not a multiple of `factor`). */
  private phase = 0;

  constructor(readonly factor: number, highRate: number, taps = lowPassTaps(OPUS_RESAMPLER_TAPS, CUTOFF_HZ / highRate)) {
    if (!Number.isInteger(factor) || factor < 1) throw new Error(`Factor must be a positive integer, got ${factor}`);
    this.taps = taps;
    this.history = new Float64Array(taps.length - 1);
  }

  process(input: Int16Array): Int16Array {
    const keep = this.taps.length - 1;
    const buffer = new Float64Array(keep + input.length);
    buffer.set(this.history);
    buffer.set(input, keep);
    const outputs: number[] = [];
    let i = this.phase;
    for (; i < input.length; i += this.factor) {
      // Output for input sample i: taps applied to buffer[i .. i + keep] (the newest sample at buffer[i + keep]).
      let acc = 0;
      for (let t = 0; t < this.taps.length; t++) acc += this.taps[t] * buffer[i + keep - t];
      outputs.push(clamp16(acc));
    }
    this.phase = i - input.length;
    this.history = buffer.slice(buffer.length - keep);
    return Int16Array.from(outputs);
  }
}

/** Low rate → high rate by an integer `factor` (8 kHz → 48 kHz: 6), computed polyphase (the zeros are never multiplied). */
export class FirInterpolator {
  private readonly phases: Float64Array[];
  private readonly perPhase: number;
  /** The last `perPhase - 1` input samples, oldest first. */
  private history: Float64Array;

  constructor(readonly factor: number, highRate: number, taps = lowPassTaps(OPUS_RESAMPLER_TAPS, CUTOFF_HZ / highRate)) {
    if (!Number.isInteger(factor) || factor < 1) throw new Error(`Factor must be a positive integer, got ${factor}`);
    this.perPhase = Math.ceil(taps.length / factor);
    // Phase p of output k·factor + p uses taps p, p + factor, p + 2·factor, … on inputs k, k - 1, k - 2, …
    // Each phase is scaled to sum to exactly 1 (rather than ≈ 1), so a constant input gives that constant at every
    // output sample: no ripple at 8 kHz and its multiples, where the zero-stuffed signal has its images.
    this.phases = Array.from({ length: factor }, (_, p) => {
      const phase = new Float64Array(this.perPhase);
      for (let j = 0; j < this.perPhase; j++) phase[j] = taps[p + j * factor] ?? 0;
      const sum = phase.reduce((a, b) => a + b, 0);
      return phase.map((tap) => tap / sum);
    });
    this.history = new Float64Array(this.perPhase - 1);
  }

  process(input: Int16Array): Int16Array {
    const keep = this.perPhase - 1;
    const buffer = new Float64Array(keep + input.length);
    buffer.set(this.history);
    buffer.set(input, keep);
    const out = new Int16Array(input.length * this.factor);
    for (let k = 0; k < input.length; k++) {
      for (let p = 0; p < this.factor; p++) {
        const phase = this.phases[p];
        let acc = 0;
        for (let j = 0; j < this.perPhase; j++) acc += phase[j] * buffer[k + keep - j];
        out[k * this.factor + p] = clamp16(acc);
      }
    }
    this.history = buffer.slice(buffer.length - keep);
    return out;
  }
}
