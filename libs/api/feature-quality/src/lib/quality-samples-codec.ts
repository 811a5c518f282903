import type { QualitySampleColumns } from '@switchboard/shared-contracts';

/**
 * The compact form of one leg's samples (call_quality_records.samples): a small versioned binary, never
 * one row per second. Version 1, little-endian:
 *   u8 version | u32 count | f64 firstSampleAt | u32 intervalMs | then six Float32 columns of `count`
 *   values each: mos (NaN for "no MOS yet"), rtt, jitter, packetLossPercent, inputLevel, outputLevel.
 * Float32 keeps ~7 significant digits, more than the SDK's figures carry; 4 h of samples is ~346 KB.
 */
export const SAMPLES_CODEC_VERSION = 1;
const HEADER_BYTES = 1 + 4 + 8 + 4;
const COLUMNS = ['mos', 'rtt', 'jitter', 'packetLossPercent', 'inputLevel', 'outputLevel'] as const;

export function encodeSamples(samples: QualitySampleColumns): Buffer {
  const count = samples.rtt.length;
  const buffer = Buffer.alloc(HEADER_BYTES + COLUMNS.length * count * 4);
  buffer.writeUInt8(SAMPLES_CODEC_VERSION, 0);
  buffer.writeUInt32LE(count, 1);
  buffer.writeDoubleLE(samples.firstSampleAt, 5);
  buffer.writeUInt32LE(samples.intervalMs, 13);
  let offset = HEADER_BYTES;
  for (const column of COLUMNS) {
    const values = samples[column];
    for (let i = 0; i < count; i++) {
      const value = values[i];
      buffer.writeFloatLE(value === null ? Number.NaN : value, offset);
      offset += 4;
    }
  }
  return buffer;
}

export function decodeSamples(bytes: Uint8Array): QualitySampleColumns {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = buffer.readUInt8(0);
  if (version !== SAMPLES_CODEC_VERSION) throw new Error(`Unknown quality samples version ${version}`);
  const count = buffer.readUInt32LE(1);
  if (buffer.length !== HEADER_BYTES + COLUMNS.length * count * 4) throw new Error('Quality samples are truncated');
  const column = (index: number): number[] => {
    const values = new Array<number>(count);
    const start = HEADER_BYTES + index * count * 4;
    for (let i = 0; i < count; i++) values[i] = buffer.readFloatLE(start + i * 4);
    return values;
  };
  return {
    firstSampleAt: buffer.readDoubleLE(5),
    intervalMs: buffer.readUInt32LE(13),
    mos: column(0).map((value) => (Number.isNaN(value) ? null : value)),
    rtt: column(1),
    jitter: column(2),
    packetLossPercent: column(3),
    inputLevel: column(4),
    outputLevel: column(5),
  };
}
