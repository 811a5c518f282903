import { SANDBOX_SAMPLE_RATE, type PcmAudio } from '@switchboard/sandbox-model';
import { dtmfFrequencies, pcm, sampleCount } from '@switchboard/sandbox-util-audio';

/** Samples in one 20 ms RTP frame at 8 kHz. */
export const FRAME_SAMPLES = 160;
export const FRAME_MS = 20;

/** Sum of sines (one for a plain tone, two for DTMF), with 5 ms ramps so it does not click. */
export function tone(frequencies: readonly number[], ms: number, amplitude = 8000): PcmAudio {
  const length = sampleCount(ms);
  const ramp = Math.min(40, Math.floor(length / 2));
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    let value = 0;
    for (const f of frequencies) value += Math.sin((2 * Math.PI * f * i) / SANDBOX_SAMPLE_RATE);
    const envelope = Math.min(1, i / ramp, (length - 1 - i) / ramp);
    samples[i] = Math.round((value / frequencies.length) * amplitude * Math.max(0, envelope));
  }
  return pcm(samples);
}

export function dtmfTone(digit: string, ms = 150): PcmAudio {
  const pair = dtmfFrequencies(digit);
  if (!pair) throw new Error(`Not a DTMF digit: ${JSON.stringify(digit)}`);
  return tone(pair, ms);
}
