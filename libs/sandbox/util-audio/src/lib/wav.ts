import { muLawToLinear, PCM_SAMPLE_RATE, resampleTo8k, type Pcm8k } from './pcm';

/** RIFF WAVE, PCM16, 8 kHz mono: what `<Record>` saves, the REST API serves and the SDK sounds are. */
export function encodeWav(audio: Pcm8k): Buffer {
  const dataBytes = audio.samples.length * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(PCM_SAMPLE_RATE, 24);
  wav.writeUInt32LE(PCM_SAMPLE_RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < audio.samples.length; i++) wav.writeInt16LE(audio.samples[i], 44 + i * 2);
  return wav;
}

export class UnsupportedAudioError extends Error {}

const FORMAT_PCM = 1;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Decodes WAV PCM16 or µ-law, any rate, any channel count (mixed down), to 8 kHz mono.
 * Anything else (mp3, PCM8/24/32, float, ADPCM) throws UnsupportedAudioError.
 */
export function decodeWav(bytes: Uint8Array): Pcm8k {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new UnsupportedAudioError('not a RIFF/WAVE file');
  }
  let format: { tag: number; channels: number; rate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new UnsupportedAudioError('truncated fmt chunk');
      let tag = buf.readUInt16LE(body);
      if (tag === FORMAT_EXTENSIBLE && size >= 26) tag = buf.readUInt16LE(body + 24);
      format = {
        tag,
        channels: buf.readUInt16LE(body + 2),
        rate: buf.readUInt32LE(body + 4),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new UnsupportedAudioError('data chunk before fmt chunk');
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: take what is there.
      const end = size === 0 || body + size > buf.length ? buf.length : body + size;
      return decodeSamples(buf.subarray(body, end), format);
    }
    offset = body + size + (size % 2);
  }
  throw new UnsupportedAudioError('no data chunk');
}

function decodeSamples(
  data: Buffer,
  format: { tag: number; channels: number; rate: number; bits: number },
): Pcm8k {
  const { tag, channels, rate, bits } = format;
  if (channels < 1 || channels > 8) throw new UnsupportedAudioError(`${channels} channels`);
  if (rate < 1000 || rate > 192000) throw new UnsupportedAudioError(`sample rate ${rate}`);
  let frameCount: number;
  let read: (frame: number, channel: number) => number;
  if (tag === FORMAT_PCM && bits === 16) {
    frameCount = Math.floor(data.length / (2 * channels));
    read = (frame, channel) => data.readInt16LE((frame * channels + channel) * 2);
  } else if (tag === FORMAT_MULAW && bits === 8) {
    frameCount = Math.floor(data.length / channels);
    read = (frame, channel) => muLawToLinear(data[frame * channels + channel]);
  } else {
    throw new UnsupportedAudioError(`format tag ${tag} with ${bits} bits (only PCM16 and µ-law are played)`);
  }
  const mono = new Float32Array(frameCount);
  for (let frame = 0; frame < frameCount; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += read(frame, channel);
    mono[frame] = sum / channels;
  }
  return resampleTo8k(mono, rate);
}
