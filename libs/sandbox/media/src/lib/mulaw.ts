import { muLawToLinear } from '@switchboard/sandbox-util-audio';

/**
 * G.711 µ-law (PCMU), the sandbox's default codec (Opus is the other, audio-codec.ts): 8 kHz, one byte per sample.
 * Encoding follows the classic segment/mantissa algorithm with a bias of 0x84 and clipping at 32635.
 */
const BIAS = 0x84;
const CLIP = 32635;

const decodeTable = Int16Array.from({ length: 256 }, (_, byte) => muLawToLinear(byte));

export function encodeMulawSample(sample: number): number {
  let value = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = value < 0 ? 0x80 : 0;
  if (sign) value = -value;
  if (value > CLIP) value = CLIP;
  value += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (value >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function decodeMulawSample(byte: number): number {
  return decodeTable[byte & 0xff];
}

export function encodeMulaw(samples: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = encodeMulawSample(samples[i]);
  return out;
}

export function decodeMulaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = decodeTable[bytes[i]];
  return out;
}
