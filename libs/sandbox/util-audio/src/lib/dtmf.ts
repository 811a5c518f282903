import { pcm, PCM_SAMPLE_RATE, sampleCount, type Pcm8k } from './pcm';

/**
 * In-band DTMF on the sandbox's 8 kHz PCM: the tone pair of each keypad digit, and a Goertzel
 * detector that hears digits in audio (what a phone on the far end of a conference would hear,
 * since Twilio's conferences carry keypad presses as tones, not events).
 */

export const DTMF_ROWS = [697, 770, 852, 941] as const;
export const DTMF_COLUMNS = [1209, 1336, 1477, 1633] as const;
const KEYPAD = ['123A', '456B', '789C', '*0#D'];

/** The (row, column) frequencies of a digit; undefined for anything else. */
export function dtmfFrequencies(digit: string): readonly [number, number] | undefined {
  const row = KEYPAD.findIndex((keys) => digit.length === 1 && keys.includes(digit));
  if (row < 0) return undefined;
  return [DTMF_ROWS[row], DTMF_COLUMNS[KEYPAD[row].indexOf(digit)]];
}

/**
 * A digit's tone pair for `ms`, each sine at `amplitude` (4000 ≈ -18 dBFS, a phone's level), with
 * 5 ms ramps so it does not click.
 */
export function dtmfTone(digit: string, ms = 100, amplitude = 4000): Pcm8k {
  const pair = dtmfFrequencies(digit);
  if (!pair) throw new Error(`Not a DTMF digit: ${JSON.stringify(digit)}`);
  const length = sampleCount(ms);
  const ramp = Math.min(40, Math.floor(length / 2));
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const envelope = Math.max(0, Math.min(1, i / ramp, (length - 1 - i) / ramp));
    const value = Math.sin((2 * Math.PI * pair[0] * i) / PCM_SAMPLE_RATE) + Math.sin((2 * Math.PI * pair[1] * i) / PCM_SAMPLE_RATE);
    samples[i] = Math.round(value * amplitude * envelope);
  }
  return pcm(samples);
}

/** Goertzel block: 20 ms, one sandbox frame (50 Hz bins; the closest DTMF frequencies are 73 Hz apart). */
export const DTMF_BLOCK_SAMPLES = 160;
/** Consecutive blocks a digit must fill before it counts: tones of 20 ms or less are never reported. */
const BLOCKS_TO_REPORT = 3;
/** Each of the two tones must be at least this loud (mean square of a sine of amplitude 100, about -50 dBFS). */
const MIN_TONE_POWER = 100 ** 2 / 2;
/** The strongest row (and column) must beat every other one by 6 dB: a tone pair, not a chord or noise. */
const MIN_PEAK_RATIO = 4;
/** Row and column within 8 dB of each other (ITU-T Q.24 twist). */
const MAX_TWIST = 6.3;
/** The pair must carry this share of the block's power: speech and music spread theirs elsewhere. */
const MIN_PAIR_SHARE = 0.6;

/**
 * Hears DTMF digits in a stream of PCM (frames of any length). A digit is reported once, when its
 * tone pair has filled three consecutive 20 ms blocks, so a tone of 70 ms or more is always heard
 * and one of 20 ms or less never; it can be reported again after a block without it (a gap of 40 ms
 * or more always ends it). Silence should be pushed too (as zeros), so gaps are heard.
 */
export class DtmfToneDetector {
  private readonly block = new Float64Array(DTMF_BLOCK_SAMPLES);
  private filled = 0;
  private current: string | undefined;
  private candidate: string | undefined;
  private candidateBlocks = 0;

  constructor(private readonly onDigit: (digit: string) => void) {}

  push(samples: Int16Array): void {
    for (let i = 0; i < samples.length; i++) {
      this.block[this.filled++] = samples[i];
      if (this.filled === DTMF_BLOCK_SAMPLES) {
        this.filled = 0;
        this.decide(detectDtmfBlock(this.block));
      }
    }
  }

  private decide(digit: string | undefined): void {
    if (digit === undefined || digit !== this.candidate) {
      if (digit !== this.current) this.current = undefined;
      this.candidate = digit;
      this.candidateBlocks = digit === undefined ? 0 : 1;
    } else this.candidateBlocks++;
    if (digit !== undefined && digit !== this.current && this.candidateBlocks >= BLOCKS_TO_REPORT) {
      this.current = digit;
      this.onDigit(digit);
    }
  }
}

/** The digit whose tone pair dominates one block, if any. */
export function detectDtmfBlock(block: ArrayLike<number>): string | undefined {
  const n = block.length;
  let energy = 0;
  for (let i = 0; i < n; i++) energy += block[i] * block[i];
  if (energy === 0) return undefined;
  const rows = DTMF_ROWS.map((hz) => goertzelPower(block, hz));
  const columns = DTMF_COLUMNS.map((hz) => goertzelPower(block, hz));
  const row = strongest(rows);
  const column = strongest(columns);
  if (row === undefined || column === undefined) return undefined;
  const [rowPower, columnPower] = [rows[row], columns[column]];
  if (rowPower < MIN_TONE_POWER || columnPower < MIN_TONE_POWER) return undefined;
  if (rowPower > columnPower * MAX_TWIST || columnPower > rowPower * MAX_TWIST) return undefined;
  if (rowPower + columnPower < MIN_PAIR_SHARE * (energy / n)) return undefined;
  return KEYPAD[row][column];
}

/** Index of the strongest power if it beats every other by MIN_PEAK_RATIO. */
function strongest(powers: readonly number[]): number | undefined {
  let best = 0;
  for (let i = 1; i < powers.length; i++) if (powers[i] > powers[best]) best = i;
  return powers.every((power, i) => i === best || power * MIN_PEAK_RATIO <= powers[best]) ? best : undefined;
}

/**
 * Goertzel's algorithm at `hz` over the block, scaled to the mean square of the sine it finds (a
 * full-block sine of amplitude A gives A²/2), so it compares with the block's mean square.
 */
function goertzelPower(block: ArrayLike<number>, hz: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / PCM_SAMPLE_RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < block.length; i++) {
    const s0 = block[i] + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const magnitudeSquared = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * magnitudeSquared) / (block.length * block.length);
}
