import { SANDBOX_SAMPLE_RATE, type PcmAudio } from '@switchboard/sandbox-model';

const HEADER_BYTES = 44;

/** RIFF/WAVE, PCM 16-bit little-endian, mono, 8 kHz: what recordings and the SDK sounds are. */
export function encodeWav(audio: PcmAudio): Buffer {
  const dataBytes = audio.samples.length * 2;
  const out = Buffer.alloc(HEADER_BYTES + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(audio.sampleRate, 24);
  out.writeUInt32LE(audio.sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < audio.samples.length; i++) out.writeInt16LE(audio.samples[i], HEADER_BYTES + i * 2);
  return out;
}

/** Reads the WAV files this module writes (PCM16 mono 8 kHz); anything else is refused clearly. */
export function decodeWav(file: Buffer): PcmAudio {
  if (file.length < HEADER_BYTES || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('Not a RIFF/WAVE file');
  }
  let offset = 12;
  let format: { channels: number; rate: number; bits: number; tag: number } | undefined;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        tag: file.readUInt16LE(body),
        channels: file.readUInt16LE(body + 2),
        rate: file.readUInt32LE(body + 4),
        bits: file.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk before fmt chunk');
      if (format.tag !== 1 || format.channels !== 1 || format.bits !== 16 || format.rate !== SANDBOX_SAMPLE_RATE) {
        throw new Error(
          `Unsupported WAV format (need PCM16 mono ${SANDBOX_SAMPLE_RATE} Hz, got tag ${format.tag}, ` +
            `${format.channels} ch, ${format.bits} bit, ${format.rate} Hz)`,
        );
      }
      const end = Math.min(file.length, body + size);
      const samples = new Int16Array(Math.floor((end - body) / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = file.readInt16LE(body + i * 2);
      return { sampleRate: SANDBOX_SAMPLE_RATE, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}
