import { FRAME_MS, FRAME_SAMPLES } from './mixer';

/**
 * Where audio a participant heard came from: another participant (its CallSid), their own hold or
 * wait music, their own announcement (announceUrl), or the room's beeps and conference-wide announcements.
 */
export type HeardSource = string;
export const HOLD_SOURCE = 'hold';
export const WAIT_SOURCE = 'wait';
export const ANNOUNCE_SOURCE = 'announce';
export const ROOM_SOURCE = 'conference';

/** Longest window a meter answers for (and so keeps): 10 s of ticks. */
export const MAX_METER_WINDOW_MS = 10_000;
export const DEFAULT_METER_WINDOW_MS = 1000;

export interface AudioLevel {
  /** Root mean square in 16-bit sample units (0 = digital silence, 32767 = full scale). */
  readonly rms: number;
  /** The same in dBFS; null for digital silence. */
  readonly dbfs: number | null;
}

/** What one leg received over the last `windowMs`: the mix it was sent, and each source's share before clipping. */
export interface LegAudioLevels extends AudioLevel {
  readonly windowMs: number;
  /** 20 ms ticks measured in the window (fewer than windowMs / 20 just after joining). */
  readonly frames: number;
  /** Only sources that sent a frame in the window; a source absent here was not heard at all. */
  readonly sources: Readonly<Record<HeardSource, AudioLevel>>;
}

interface TickRecord {
  readonly at: number;
  readonly mixSquares: number;
  readonly sourceSquares: ReadonlyMap<HeardSource, number>;
}

/**
 * A test hook, not Twilio: what a conference participant received, tick by tick, kept for the last
 * MAX_METER_WINDOW_MS so a test can ask "did the customer hear bob?" without recording and analysing audio.
 */
export class LegAudioMeter {
  private ticks: TickRecord[] = [];

  record(at: number, mix: Int16Array, sources: Iterable<readonly [HeardSource, Int16Array]>): void {
    const sourceSquares = new Map<HeardSource, number>();
    for (const [source, frame] of sources) sourceSquares.set(source, (sourceSquares.get(source) ?? 0) + sumOfSquares(frame));
    this.ticks.push({ at, mixSquares: sumOfSquares(mix), sourceSquares });
    const oldest = at - MAX_METER_WINDOW_MS;
    if (this.ticks[0].at <= oldest) this.ticks = this.ticks.filter((tick) => tick.at > oldest);
  }

  read(now: number, windowMs = DEFAULT_METER_WINDOW_MS): LegAudioLevels {
    const window = Math.min(MAX_METER_WINDOW_MS, Math.max(FRAME_MS, windowMs));
    const ticks = this.ticks.filter((tick) => tick.at > now - window);
    // Every tick is one frame; silence from a source counts, so levels are over the whole window.
    const samples = ticks.length * FRAME_SAMPLES;
    const sourceTotals = new Map<HeardSource, number>();
    for (const tick of ticks) for (const [source, squares] of tick.sourceSquares) sourceTotals.set(source, (sourceTotals.get(source) ?? 0) + squares);
    const sources: Record<HeardSource, AudioLevel> = {};
    for (const [source, squares] of sourceTotals) sources[source] = level(squares, samples);
    return { windowMs: window, frames: ticks.length, ...level(ticks.reduce((sum, tick) => sum + tick.mixSquares, 0), samples), sources };
  }
}

function sumOfSquares(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i] * frame[i];
  return sum;
}

function level(squares: number, samples: number): AudioLevel {
  const rms = samples === 0 ? 0 : Math.sqrt(squares / samples);
  return { rms: Math.round(rms * 10) / 10, dbfs: rms === 0 ? null : Math.round(20 * Math.log10(rms / 32768) * 10) / 10 };
}
