/**
 * One 20 ms tick of a conference room's audio, as plain sample arithmetic (8 kHz, 160 samples).
 * The room's sum is built once; each listener's mix is that sum minus their own contribution plus
 * what only they hear (a coach's whisper, their private source), clipped to int16.
 */
export const FRAME_SAMPLES = 160;
export const FRAME_MS = 20;

export interface MixSpeaker {
  readonly id: string;
  /** What the participant said this tick (undefined = silence). */
  readonly frame: Int16Array | undefined;
  /**
   * Who hears them: everyone connected (a normal participant), nobody (muted or held), or one
   * participant only (a coach, heard by the call they coach).
   */
  readonly audience: 'everyone' | 'nobody' | { readonly only: string };
}

export interface MixListener {
  readonly id: string;
  /** False while held or while the conference has not started: they hear only `own`. */
  readonly hearsConference: boolean;
  /** Audio for this listener alone (hold music, wait music, a participant announcement). */
  readonly own?: Int16Array;
}

/**
 * Mixes one tick. `roomAudio` (beeps, conference announcements) is heard by every listener who
 * hears the conference. Returns each listener's frame, in `listeners` order.
 */
export function mixTick(speakers: readonly MixSpeaker[], listeners: readonly MixListener[], roomAudio?: Int16Array): Int16Array[] {
  const sum = new Int32Array(FRAME_SAMPLES);
  const contributions = new Map<string, Int16Array>();
  const whispers = new Map<string, Int16Array[]>();
  for (const speaker of speakers) {
    if (!speaker.frame || speaker.audience === 'nobody') continue;
    if (speaker.audience === 'everyone') {
      addInto(sum, speaker.frame);
      contributions.set(speaker.id, speaker.frame);
    } else {
      const list = whispers.get(speaker.audience.only) ?? [];
      list.push(speaker.frame);
      whispers.set(speaker.audience.only, list);
    }
  }
  if (roomAudio) addInto(sum, roomAudio);
  const scratch = new Int32Array(FRAME_SAMPLES);
  return listeners.map((listener) => {
    scratch.fill(0);
    if (listener.hearsConference) {
      scratch.set(sum);
      const own = contributions.get(listener.id);
      if (own) subtractFrom(scratch, own);
      for (const whisper of whispers.get(listener.id) ?? []) addInto(scratch, whisper);
    }
    if (listener.own) addInto(scratch, listener.own);
    return clip(scratch);
  });
}

/**
 * The frames that reached `listener` in mixTick this tick, by source id (the other speakers' ids and
 * `roomSource` for the room audio), following the same rules; its own audio is not included.
 */
export function heardFrames(
  speakers: readonly MixSpeaker[],
  listener: MixListener,
  roomAudio: Int16Array | undefined,
  roomSource: string,
): [string, Int16Array][] {
  if (!listener.hearsConference) return [];
  const heard: [string, Int16Array][] = [];
  for (const speaker of speakers) {
    if (!speaker.frame || speaker.id === listener.id || speaker.audience === 'nobody') continue;
    if (speaker.audience === 'everyone' || speaker.audience.only === listener.id) heard.push([speaker.id, speaker.frame]);
  }
  if (roomAudio) heard.push([roomSource, roomAudio]);
  return heard;
}

function addInto(target: Int32Array, frame: Int16Array): void {
  const length = Math.min(FRAME_SAMPLES, frame.length);
  for (let i = 0; i < length; i++) target[i] += frame[i];
}

function subtractFrom(target: Int32Array, frame: Int16Array): void {
  const length = Math.min(FRAME_SAMPLES, frame.length);
  for (let i = 0; i < length; i++) target[i] -= frame[i];
}

export function clip(values: Int32Array): Int16Array {
  const out = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] > 32767 ? 32767 : values[i] < -32768 ? -32768 : values[i];
  return out;
}

/**
 * What a participant says, buffered between ticks: frames of any length go in, 160-sample frames
 * come out. Beyond `maxSamples` the oldest audio is dropped, so a sender whose clock runs faster
 * than the room's does not build up delay.
 */
export class InputBuffer {
  private chunks: Int16Array[] = [];
  private length = 0;

  constructor(private readonly maxSamples = FRAME_SAMPLES * 3) {}

  push(samples: Int16Array): void {
    this.chunks.push(samples);
    this.length += samples.length;
    while (this.length > this.maxSamples && this.chunks.length) {
      const excess = this.length - this.maxSamples;
      const first = this.chunks[0];
      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.length -= excess;
      }
    }
  }

  /** The next 20 ms, or undefined when nothing was said since the last tick. */
  take(): Int16Array | undefined {
    if (this.length === 0) return undefined;
    const frame = new Int16Array(FRAME_SAMPLES);
    let filled = 0;
    while (filled < FRAME_SAMPLES && this.chunks.length) {
      const first = this.chunks[0];
      const count = Math.min(FRAME_SAMPLES - filled, first.length);
      frame.set(first.subarray(0, count), filled);
      filled += count;
      this.length -= count;
      if (count === first.length) this.chunks.shift();
      else this.chunks[0] = first.subarray(count);
    }
    return frame;
  }
}
