/** Audio arithmetic on the voice sandbox's 8 kHz mono 16-bit PCM: silence, joins, levels, resampling. */

/**
 * The sandbox's one internal sample rate: PCMU legs are 8 kHz, Opus legs are resampled to it (resample.ts).
 * The same value as `SANDBOX_SAMPLE_RATE` in `@switchboard/sandbox-model`.
 */
export const PCM_SAMPLE_RATE = 8000;

/**
 * 8 kHz mono signed 16-bit samples: the same shape as `PcmAudio` in `@switchboard/sandbox-model`, so
 * either passes where the other is asked for. Stated here because a `type:util` library may depend
 * only on other `type:util` libraries (root eslint.config.mjs), not on the model.
 */
export interface Pcm8k {
  readonly sampleRate: typeof PCM_SAMPLE_RATE;
  readonly samples: Int16Array;
}

export function pcm(samples: Int16Array): Pcm8k {
  return { sampleRate: PCM_SAMPLE_RATE, samples };
}

/** How many samples `ms` milliseconds take, rounded to the nearest sample. */
export function sampleCount(ms: number): number {
  return Math.round((ms * PCM_SAMPLE_RATE) / 1000);
}

export function durationMs(audio: Pcm8k): number {
  return (audio.samples.length * 1000) / PCM_SAMPLE_RATE;
}

export function silence(ms: number): Pcm8k {
  return pcm(new Int16Array(sampleCount(ms)));
}

export function concatPcm(parts: readonly Pcm8k[]): Pcm8k {
  const total = parts.reduce((sum, part) => sum + part.samples.length, 0);
  const samples = new Int16Array(total);
  let offset = 0;
  for (const part of parts) {
    samples.set(part.samples, offset);
    offset += part.samples.length;
  }
  return pcm(samples);
}

/** Root mean square of `samples[start, end)`, 0..32767; 0 for silence and for an empty range. */
export function rms(samples: Int16Array, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / (end - start));
}

/** Linear-interpolation resampling to 8 kHz, with a box pre-filter when downsampling. */
export function resampleTo8k(samples: Int16Array | Float32Array, fromRate: number): Pcm8k {
  if (!Number.isFinite(fromRate) || fromRate <= 0) throw new Error(`Invalid sample rate ${fromRate}`);
  if (fromRate === PCM_SAMPLE_RATE) return pcm(Int16Array.from(samples, clamp16));
  const ratio = fromRate / PCM_SAMPLE_RATE;
  const count = Math.floor(samples.length / ratio);
  const out = new Int16Array(count);
  const window = Math.max(1, Math.floor(ratio));
  for (let i = 0; i < count; i++) {
    const position = i * ratio;
    if (ratio > 1) {
      // Average the source samples this output sample covers: a crude low-pass against aliasing.
      const start = Math.floor(position);
      let sum = 0;
      let n = 0;
      for (let j = start; j < start + window && j < samples.length; j++, n++) sum += samples[j];
      out[i] = clamp16(n ? sum / n : 0);
    } else {
      const left = Math.floor(position);
      const right = Math.min(left + 1, samples.length - 1);
      const fraction = position - left;
      out[i] = clamp16(samples[left] * (1 - fraction) + samples[right] * fraction);
    }
  }
  return pcm(out);
}

function clamp16(value: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(value)));
}

/** G.711 µ-law byte to linear 16-bit (bias 0x84): 0xFF and 0x7F are the two zeros. */
export function muLawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}
