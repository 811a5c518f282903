import { pcm } from './pcm';
import { decodeWav, encodeWav, UnsupportedAudioError } from './wav';

/** A 44-byte canonical header (or a 60-byte WAVE_FORMAT_EXTENSIBLE one) followed by `data`. */
function wavFile(tag: number, channels: number, rate: number, bits: number, data: Buffer, subFormat?: number): Buffer {
  const fmtSize = subFormat === undefined ? 16 : 40;
  const header = Buffer.alloc(28 + fmtSize);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(20 + fmtSize + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(fmtSize, 16);
  header.writeUInt16LE(tag, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE((rate * channels * bits) / 8, 28);
  header.writeUInt16LE((channels * bits) / 8, 32);
  header.writeUInt16LE(bits, 34);
  if (subFormat !== undefined) {
    header.writeUInt16LE(22, 36);
    header.writeUInt16LE(subFormat, 44);
  }
  header.write('data', 20 + fmtSize, 'ascii');
  header.writeUInt32LE(data.length, 24 + fmtSize);
  return Buffer.concat([header, data]);
}

function int16le(values: readonly number[]): Buffer {
  const data = Buffer.alloc(values.length * 2);
  values.forEach((value, i) => data.writeInt16LE(value, i * 2));
  return data;
}

function sine(hz: number, count: number, amplitude: number, rate = 8000): number[] {
  return Array.from({ length: count }, (_, i) => Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * amplitude));
}

describe('encodeWav', () => {
  it('writes a canonical RIFF PCM16 mono 8 kHz header and little-endian samples', () => {
    const wav = encodeWav(pcm(Int16Array.from([1, -1, 32767, -32768])));
    expect(wav.length).toBe(44 + 8);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(36 + 8);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt32LE(16)).toBe(16);
    expect(wav.readUInt16LE(20)).toBe(1);
    expect(wav.readUInt16LE(22)).toBe(1);
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt32LE(28)).toBe(16000);
    expect(wav.readUInt16LE(32)).toBe(2);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(8);
    expect(Array.from(wav.subarray(44))).toEqual([0x01, 0x00, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x80]);
  });

  it('writes an empty data chunk for no samples', () => {
    const wav = encodeWav(pcm(new Int16Array(0)));
    expect(wav.length).toBe(44);
    expect(wav.readUInt32LE(40)).toBe(0);
  });
});

describe('decodeWav', () => {
  it('round-trips what encodeWav writes, from a Buffer or a Uint8Array view into a larger buffer', () => {
    const samples = Int16Array.from(sine(440, 800, 8000));
    const wav = encodeWav(pcm(samples));
    const decoded = decodeWav(wav);
    expect(decoded.sampleRate).toBe(8000);
    expect(Array.from(decoded.samples)).toEqual(Array.from(samples));
    const padded = new Uint8Array(wav.length + 7);
    padded.set(wav, 3);
    expect(Array.from(decodeWav(padded.subarray(3, 3 + wav.length)).samples)).toEqual(Array.from(samples));
  });

  it('mixes stereo down and resamples 16 kHz to 8 kHz', () => {
    const frames = sine(300, 16000, 10000, 16000);
    const stereo = int16le(frames.flatMap((value) => [value, value]));
    const decoded = decodeWav(wavFile(1, 2, 16000, 16, stereo));
    expect(decoded.samples.length).toBe(8000);
    // Each output sample is the mean of the two source frames it covers.
    expect(decoded.samples[100]).toBe(Math.round((frames[200] + frames[201]) / 2));
    const opposite = int16le([1000, -1000, 3000, 1000]);
    expect(Array.from(decodeWav(wavFile(1, 2, 8000, 16, opposite)).samples)).toEqual([0, 2000]);
  });

  it('decodes µ-law, and PCM inside WAVE_FORMAT_EXTENSIBLE', () => {
    // µ-law 0xFF and 0x7F are the two zeros; 0x00 is full negative scale.
    const mulaw = decodeWav(wavFile(7, 1, 8000, 8, Buffer.from([0xff, 0x7f, 0x00, 0x80])));
    expect(Array.from(mulaw.samples)).toEqual([0, 0, -32124, 32124]);
    const extensible = decodeWav(wavFile(0xfffe, 1, 8000, 16, int16le([5, -6, 7]), 1));
    expect(Array.from(extensible.samples)).toEqual([5, -6, 7]);
  });

  it('skips unknown chunks (with their pad byte) and takes a streaming writer’s data of size 0 to the end', () => {
    const plain = encodeWav(pcm(Int16Array.from([11, -22])));
    const list = Buffer.alloc(8 + 3 + 1);
    list.write('LIST', 0, 'ascii');
    list.writeUInt32LE(3, 4);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    expect(Array.from(decodeWav(withList).samples)).toEqual([11, -22]);
    const streaming = Buffer.from(plain);
    streaming.writeUInt32LE(0, 40);
    expect(Array.from(decodeWav(streaming).samples)).toEqual([11, -22]);
    const overlong = Buffer.from(plain);
    overlong.writeUInt32LE(0xffffffff, 40);
    expect(Array.from(decodeWav(overlong).samples)).toEqual([11, -22]);
  });

  it('refuses what it cannot play with UnsupportedAudioError', () => {
    const refused = (file: Uint8Array, message: RegExp): void => {
      expect(() => decodeWav(file)).toThrow(UnsupportedAudioError);
      expect(() => decodeWav(file)).toThrow(message);
    };
    refused(Buffer.from('ID3 mp3 data here....'), /not a RIFF\/WAVE file/);
    refused(Buffer.from('RIFF'), /not a RIFF\/WAVE file/);
    refused(wavFile(3, 1, 8000, 32, Buffer.alloc(8)), /format tag 3 with 32 bits/);
    refused(wavFile(1, 1, 8000, 24, Buffer.alloc(6)), /format tag 1 with 24 bits/);
    refused(wavFile(1, 9, 8000, 16, Buffer.alloc(18)), /9 channels/);
    refused(wavFile(1, 1, 500, 16, Buffer.alloc(2)), /sample rate 500/);
    const noData = encodeWav(pcm(new Int16Array(0))).subarray(0, 36);
    refused(noData, /no data chunk/);
    const dataChunk = encodeWav(pcm(Int16Array.from([1]))).subarray(36);
    const dataFirst = Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE', 'ascii'), dataChunk]);
    refused(dataFirst, /data chunk before fmt chunk/);
    refused(encodeWav(pcm(new Int16Array(0))).subarray(0, 30), /truncated fmt chunk/);
    expect(new UnsupportedAudioError('x')).toBeInstanceOf(Error);
  });
});
