import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PcmAudio } from '@switchboard/sandbox-model';
import { concatPcm, decodeWav, silence } from '@switchboard/sandbox-util-audio';
import { SandboxLogger, SpeechSynthesizer } from '../ports';
import { tone } from './tone-and-silence';

/**
 * Stand-in speech when no synthesizer is installed: one short two-note chirp per word, so the
 * caller hears something whose length follows the text (the text itself is in the log).
 */
export class PlaceholderSpeechSynthesizer implements SpeechSynthesizer {
  async synthesize(text: string): Promise<PcmAudio> {
    const words = text.split(/\s+/).filter(Boolean);
    const parts: PcmAudio[] = [];
    words.forEach((word, index) => {
      const ms = Math.min(400, 120 + word.length * 20);
      parts.push(tone(index % 2 ? 523 : 440, ms, 0.25), silence(80));
    });
    return concatPcm(parts);
  }
}

/**
 * `espeak-ng --stdout` (Debian package espeak-ng): WAV at 22050 Hz, resampled to 8 kHz. The text
 * goes in on stdin, never on the command line. Twilio `language` (en-US) maps to espeak voices
 * (en-us); a failure falls back to the placeholder so a call never goes silent.
 */
export class EspeakSpeechSynthesizer implements SpeechSynthesizer {
  private readonly placeholder = new PlaceholderSpeechSynthesizer();

  constructor(
    private readonly log: SandboxLogger,
    private readonly binary = 'espeak-ng',
  ) {}

  async synthesize(text: string, options: { voice?: string; language?: string }, signal?: AbortSignal): Promise<PcmAudio> {
    const voice = (options.language ?? 'en-US').toLowerCase();
    try {
      return decodeWav(await this.run(['--stdout', '--stdin', '-v', voice], text, signal));
    } catch (error) {
      this.log.warn('espeak-ng failed, using the placeholder tones', { error: String(error), voice });
      return this.placeholder.synthesize(text);
    }
  }

  private run(args: string[], input: string, signal?: AbortSignal): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, { stdio: ['pipe', 'pipe', 'pipe'], signal, timeout: 30_000 });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${this.binary} exited ${code}: ${stderr.trim()}`)),
      );
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  }
}

/** Whether an executable of that name is on PATH. */
export function findOnPath(binary: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** espeak-ng when installed, else the placeholder; logs which one. */
export function createSpeechSynthesizer(log: SandboxLogger, path?: string): SpeechSynthesizer {
  const espeak = findOnPath('espeak-ng', path);
  log.info(espeak ? `<Say> speaks with ${espeak}` : '<Say> uses placeholder tones (install espeak-ng for speech)');
  return espeak ? new EspeakSpeechSynthesizer(log, espeak) : new PlaceholderSpeechSynthesizer();
}
