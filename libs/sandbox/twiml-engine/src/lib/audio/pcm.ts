import { PcmAudio, SANDBOX_SAMPLE_RATE } from '@switchboard/sandbox-model';

/** Audio arithmetic on the seam's 8 kHz mono 16-bit PCM: tones, silence, levels, resampling. */

export function pcm(samples: Int16Array): PcmAudio {
  return { sampleRate: SANDBOX_SAMPLE_RATE, samples };
}

export function durationMs(audio: PcmAudio): number {
  return (audio.samples.length * 1000) / SANDBOX_SAMPLE_RATE;
}

export function silence(ms: number): PcmAudio {
  return pcm(new Int16Array(Math.round((ms * SANDBOX_SAMPLE_RATE) / 1000)));
}

/** A sine tone; `amplitude` is a fraction of full scale. Short fades avoid clicks. */
export function tone(hz: number, ms: number, amplitude = 0.3): PcmAudio {
  const count = Math.round((ms * SANDBOX_SAMPLE_RATE) / 1000);
  const samples = new Int16Array(count);
  const fade = Math.min(80, Math.floor(count / 4));
  for (let i = 0; i < count; i++) {
    const envelope = Math.min(1, i / (fade || 1), (count - 1 - i) / (fade || 1));
    samples[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / SANDBOX_SAMPLE_RATE) * amplitude * 32767 * envelope);
  }
  return pcm(samples);
}

export function concatPcm(parts: readonly PcmAudio[]): PcmAudio {
  const total = parts.reduce((sum, part) => sum + part.samples.length, 0);
  const samples = new Int16Array(total);
  let offset = 0;
  for (const part of parts) {
    samples.set(part.samples, offset);
    offset += part.samples.length;
  }
  return pcm(samples);
}

/** Root mean square of the samples, 0..32767. */
export function rms(samples: Int16Array, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / (end - start));
}

/**
 * Below this RMS (about -50 dBFS) a 20 ms frame counts as silence. Line noise on a quiet PSTN or
 * WebRTC leg sits well under it; speech and the sandbox's tones sit far above it.
 */
export const SILENCE_RMS_THRESHOLD = 100;
const FRAME = SANDBOX_SAMPLE_RATE / 50;

export function isSilent(audio: PcmAudio, threshold = SILENCE_RMS_THRESHOLD): boolean {
  for (let start = 0; start < audio.samples.length; start += FRAME) {
    if (rms(audio.samples, start, Math.min(start + FRAME, audio.samples.length)) >= threshold) return false;
  }
  return true;
}

/** Drops leading and trailing silent 20 ms frames (Twilio's `trim="trim-silence"`). */
export function trimSilence(audio: PcmAudio, threshold = SILENCE_RMS_THRESHOLD): PcmAudio {
  const samples = audio.samples;
  let first = -1;
  let last = -1;
  for (let start = 0; start < samples.length; start += FRAME) {
    const end = Math.min(start + FRAME, samples.length);
    if (rms(samples, start, end) >= threshold) {
      if (first < 0) first = start;
      last = end;
    }
  }
  return first < 0 ? pcm(new Int16Array(0)) : pcm(samples.slice(first, last));
}

/** Linear-interpolation resampling to 8 kHz, with a box pre-filter when downsampling. */
export function resampleTo8k(samples: Int16Array | Float32Array, fromRate: number): PcmAudio {
  if (!Number.isFinite(fromRate) || fromRate <= 0) throw new Error(`Invalid sample rate ${fromRate}`);
  if (fromRate === SANDBOX_SAMPLE_RATE) return pcm(Int16Array.from(samples, clamp16));
  const ratio = fromRate / SANDBOX_SAMPLE_RATE;
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

/** G.711 µ-law byte to linear 16-bit. */
export function muLawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}
