import { PcmAudio, SANDBOX_SAMPLE_RATE } from '@switchboard/sandbox-model';
import { pcm, rms, sampleCount } from '@switchboard/sandbox-util-audio';

/** The engine's own tone and silence detection; the shared PCM/WAV helpers are in @switchboard/sandbox-util-audio. */

/** A sine tone; `amplitude` is a fraction of full scale. Short fades avoid clicks. */
export function tone(hz: number, ms: number, amplitude = 0.3): PcmAudio {
  const count = sampleCount(ms);
  const samples = new Int16Array(count);
  const fade = Math.min(80, Math.floor(count / 4));
  for (let i = 0; i < count; i++) {
    const envelope = Math.min(1, i / (fade || 1), (count - 1 - i) / (fade || 1));
    samples[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / SANDBOX_SAMPLE_RATE) * amplitude * 32767 * envelope);
  }
  return pcm(samples);
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
