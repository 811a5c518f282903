import { PcmAudio } from '@switchboard/sandbox-model';

/** Structured log sink (pino-style `(message, fields)`); the app decides where lines go. */
export interface SandboxLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: SandboxLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Turns `<Say>` text into audio. */
export interface SpeechSynthesizer {
  synthesize(text: string, options: { voice?: string; language?: string }, signal?: AbortSignal): Promise<PcmAudio>;
}

/** Fetches and decodes `<Play>` audio; throws TwimlError (11200, 11205, 11210, 12300) on failure. */
export interface AudioFetcher {
  fetch(url: string, signal?: AbortSignal): Promise<PcmAudio>;
}

export interface RecordingMetadata {
  /** RE + 32 hex. */
  readonly sid: string;
  readonly accountSid: string;
  readonly callSid: string;
  readonly durationSeconds: number;
  /** Milliseconds since epoch. */
  readonly dateCreated: number;
  readonly channels: 1;
  readonly source: 'RecordVerb';
  readonly status: 'completed';
}

/** Where `<Record>` keeps its WAV files; the REST subset serves them from here. */
export interface RecordingStore {
  save(recording: { accountSid: string; callSid: string; audio: PcmAudio; dateCreated: number }): Promise<RecordingMetadata>;
  /** Undefined when unknown (or not this account's). */
  get(accountSid: string, recordingSid: string): Promise<{ metadata: RecordingMetadata; wav: Buffer } | undefined>;
  /** Deletes the audio and its metadata; false when unknown (or not this account's). */
  remove(accountSid: string, recordingSid: string): Promise<boolean>;
}
