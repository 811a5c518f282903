import { PcmAudio, SANDBOX_SAMPLE_RATE } from '@switchboard/sandbox-model';
import { AudioFetcher, SandboxLogger, SpeechSynthesizer } from '../ports';
import { TwilioErrorCode, TwimlError } from '../twiml/twiml-errors';
import { parseTwiml } from '../twiml/twiml-parser';
import { HttpMethod } from '../twiml/twiml-verbs';
import { WebhookClient } from '../webhooks/webhook-client';
import { FRAME_SAMPLES } from './mixer';

/** Audio the room pulls one 20 ms frame at a time (hold and wait music, beeps, announcements). */
export interface FrameSource {
  /** The next frame, or undefined for silence. */
  next(): Int16Array | undefined;
  /** Stop at once; pending plays resolve. */
  stop(): void;
}

interface QueuedClip {
  readonly samples: Int16Array;
  offset: number;
  readonly done: () => void;
}

/** Clips played one after another, paced by the room's ticks (so by its clock). */
export class ClipPlayer implements FrameSource {
  private readonly queue: QueuedClip[] = [];
  private stopped = false;

  /** Resolves once the clip has been pulled entirely (or the player stopped). */
  enqueue(audio: PcmAudio | Int16Array): Promise<void> {
    const samples = audio instanceof Int16Array ? audio : audio.samples;
    if (this.stopped || samples.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.queue.push({ samples, offset: 0, done: resolve }));
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }

  next(): Int16Array | undefined {
    const clip = this.queue[0];
    if (!clip) return undefined;
    const frame = new Int16Array(FRAME_SAMPLES);
    frame.set(clip.samples.subarray(clip.offset, clip.offset + FRAME_SAMPLES));
    clip.offset += FRAME_SAMPLES;
    if (clip.offset >= clip.samples.length) {
      this.queue.shift();
      clip.done();
    }
    return frame;
  }

  stop(): void {
    this.stopped = true;
    this.queue.splice(0).forEach((clip) => clip.done());
  }
}

/** One clip repeated until stopped (the built-in hold music, an audio-file waitUrl). */
export class LoopingClip implements FrameSource {
  private offset = 0;
  private stopped = false;
  constructor(private readonly samples: Int16Array) {}

  next(): Int16Array | undefined {
    if (this.stopped || this.samples.length === 0) return undefined;
    const frame = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) frame[i] = this.samples[(this.offset + i) % this.samples.length];
    this.offset = (this.offset + FRAME_SAMPLES) % this.samples.length;
    return frame;
  }

  stop(): void {
    this.stopped = true;
  }
}

let holdMusicCache: Int16Array | undefined;

/**
 * The sandbox's hold music (Twilio plays its own; any pleasant loop will do): a slow, soft
 * arpeggio of C major and A minor chords with a gentle bell-like decay, 6.4 s per loop.
 */
export function builtInHoldMusic(): Int16Array {
  if (holdMusicCache) return holdMusicCache;
  const noteMs = 400;
  const notes = [261.63, 329.63, 392.0, 523.25, 392.0, 329.63, 261.63, 329.63, 220.0, 261.63, 329.63, 440.0, 329.63, 261.63, 220.0, 164.81];
  const noteSamples = (SANDBOX_SAMPLE_RATE * noteMs) / 1000;
  const samples = new Int16Array(noteSamples * notes.length);
  notes.forEach((hz, index) => {
    for (let i = 0; i < noteSamples; i++) {
      const t = i / SANDBOX_SAMPLE_RATE;
      const attack = Math.min(1, i / 80);
      const decay = Math.exp(-3 * t);
      const voice = Math.sin(2 * Math.PI * hz * t) + 0.3 * Math.sin(2 * Math.PI * hz * 2 * t);
      samples[index * noteSamples + i] = Math.round(voice * attack * decay * 0.18 * 32767);
    }
  });
  holdMusicCache = samples;
  return samples;
}

let ringbackCache: Int16Array | undefined;

/**
 * North American ringback (440 + 480 Hz, 2 s on, 4 s off): the early media a ringing phone number sends
 * back, heard by the conference while a participant added with EarlyMedia rings.
 */
export function ringbackCadence(): Int16Array {
  if (ringbackCache) return ringbackCache;
  const onSamples = SANDBOX_SAMPLE_RATE * 2;
  const samples = new Int16Array(SANDBOX_SAMPLE_RATE * 6);
  const fade = 80;
  for (let i = 0; i < onSamples; i++) {
    const t = i / SANDBOX_SAMPLE_RATE;
    const envelope = Math.min(1, i / fade, (onSamples - 1 - i) / fade);
    samples[i] = Math.round(((Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)) / 2) * envelope * 0.25 * 32767);
  }
  ringbackCache = samples;
  return samples;
}

export interface MediaSourceDeps {
  readonly webhooks: WebhookClient;
  readonly audio: AudioFetcher;
  readonly speech: SpeechSynthesizer;
  readonly log: SandboxLogger;
  /** Optional test surface: a `<Say>` played in full to the leg `callSid` (the sandbox lists it as that leg's heardSpeech). */
  readonly heardSpeech?: (callSid: string, text: string) => void;
}

export interface MediaRequest {
  readonly url: string;
  readonly method: HttpMethod;
  readonly accountSid: string;
  readonly params: Readonly<Record<string, string>>;
  /** Start again when the TwiML or audio ends (wait and hold music) or play once (announcements). */
  readonly loop: boolean;
  /** The leg that hears it, when it is one participant's (wait, hold, a participant's announcement). */
  readonly listenerCallSid?: string;
}

/** At most this many `<Redirect>`s per source, as the engine's loop guard. */
const MAX_SOURCE_REDIRECTS = 10;

/**
 * Twilio's waitUrl / holdUrl / announceUrl: a TwiML document of `<Play>`, `<Say>`, `<Pause>` and
 * `<Redirect>`, or an audio file (a non-XML answer is fetched again as audio). `done` resolves
 * true when everything played, false when the URL failed (Twilio's announcement-fail).
 */
export function playFromUrl(request: MediaRequest, deps: MediaSourceDeps): { source: FrameSource; done: Promise<boolean> } {
  const player = new ClipPlayer();
  const stopped = new AbortController();
  let looping: LoopingClip | undefined;
  const source: FrameSource = {
    next: () => looping?.next() ?? player.next(),
    stop: () => {
      stopped.abort();
      looping?.stop();
      player.stop();
    },
  };
  const done = runSource(request, deps, player, stopped.signal, (clip) => (looping = new LoopingClip(clip))).catch((error: unknown) => {
    deps.log.error('conference audio source failed', { url: request.url, error: String(error) });
    return false;
  });
  return { source, done };
}

async function runSource(
  request: MediaRequest,
  deps: MediaSourceDeps,
  player: ClipPlayer,
  signal: AbortSignal,
  loopForever: (clip: Int16Array) => void,
): Promise<boolean> {
  let url = request.url;
  let method = request.method;
  let redirects = 0;
  for (;;) {
    const fetched = await deps.webhooks.fetchTwiml({ url, method, params: request.params, accountSid: request.accountSid, signal });
    if (signal.aborted) return true;
    if (!fetched.ok) {
      if (fetched.code !== TwilioErrorCode.InvalidContentType) return failed(deps, fetched.code, fetched.message, url);
      return playAudioFile(url, request.loop, deps, player, signal, loopForever);
    }
    let verbs;
    try {
      verbs = parseTwiml(fetched.body, url).verbs;
    } catch (error) {
      return failed(deps, error instanceof TwimlError ? error.code : TwilioErrorCode.DocumentParseFailure, String(error), url);
    }
    let played = 0;
    let redirected = false;
    for (const verb of verbs) {
      if (signal.aborted) return true;
      if (verb.verb === 'Play' && verb.url) {
        const audio = await fetchAudio(verb.url, deps, signal);
        for (let i = 0; audio && i < verb.loop && !signal.aborted; i++) await player.enqueue(audio);
        played += audio ? audio.samples.length : 0;
      } else if (verb.verb === 'Say' && verb.text) {
        const audio = await deps.speech.synthesize(verb.text, { voice: verb.voice, language: verb.language }, signal);
        for (let i = 0; i < verb.loop && !signal.aborted; i++) {
          await player.enqueue(audio);
          // Heard only once played to its end (stopping the source resolves the clip early).
          if (!signal.aborted && request.listenerCallSid) deps.heardSpeech?.(request.listenerCallSid, verb.text);
        }
        played += audio.samples.length;
      } else if (verb.verb === 'Pause') {
        await player.enqueue(new Int16Array(verb.lengthSeconds * SANDBOX_SAMPLE_RATE));
        played += verb.lengthSeconds * SANDBOX_SAMPLE_RATE;
      } else if (verb.verb === 'Redirect') {
        if (++redirects > MAX_SOURCE_REDIRECTS) return failed(deps, TwilioErrorCode.HttpTooManyRedirects, 'too many <Redirect>s', verb.url);
        url = verb.url;
        method = verb.method;
        redirected = true;
        break;
      } else {
        deps.log.warn(`<${verb.verb}> is not allowed in a conference wait/hold/announce document (ignored)`, { url });
      }
    }
    if (signal.aborted) return true;
    // A document that played nothing would loop without end: stop there instead.
    if (!redirected && (!request.loop || played === 0)) return true;
  }
}

async function playAudioFile(
  url: string,
  loop: boolean,
  deps: MediaSourceDeps,
  player: ClipPlayer,
  signal: AbortSignal,
  loopForever: (clip: Int16Array) => void,
): Promise<boolean> {
  const audio = await fetchAudio(url, deps, signal);
  if (!audio) return false;
  if (loop) {
    loopForever(audio.samples);
    return true;
  }
  await player.enqueue(audio);
  return true;
}

async function fetchAudio(url: string, deps: MediaSourceDeps, signal: AbortSignal): Promise<PcmAudio | undefined> {
  try {
    return await deps.audio.fetch(url, signal);
  } catch (error) {
    if (!signal.aborted) failed(deps, error instanceof TwimlError ? error.code : TwilioErrorCode.HttpRetrievalFailure, String(error), url);
    return undefined;
  }
}

function failed(deps: MediaSourceDeps, code: number, message: string, url: string): false {
  deps.log.error(`Twilio error ${code}: ${message}`, { code, url });
  return false;
}
