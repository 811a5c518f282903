import * as http from 'node:http';
import * as https from 'node:https';
import { PcmAudio } from '@switchboard/sandbox-model';
import { decodeWav, pcm, UnsupportedAudioError } from '@switchboard/sandbox-util-audio';
import { builtInHoldMusic } from '../conference/audio-sources';
import { AudioFetcher } from '../ports';
import { TwilioErrorCode, TwimlError } from '../twiml/twiml-errors';
import { requireLoopbackUrl } from '../webhooks/loopback';
import { isTwilioHoldMusicFile } from '../webhooks/twilio-hold-music';

/**
 * `<Play>` audio over HTTP from loopback hosts: WAV PCM16 or µ-law at any rate, up to 20 MB. The files
 * of Twilio's hold-music buckets (com.twilio.music.*) are the built-in hold music, never fetched.
 */
export class HttpAudioFetcher implements AudioFetcher {
  constructor(
    private readonly timeoutMs = 15_000,
    private readonly maxBytes = 20 * 1024 * 1024,
  ) {}

  async fetch(url: string, signal?: AbortSignal): Promise<PcmAudio> {
    if (isTwilioHoldMusicFile(url)) return pcm(builtInHoldMusic());
    const target = requireLoopbackUrl(url);
    const budget = AbortSignal.timeout(this.timeoutMs);
    const bytes = await download(target, signal ? AbortSignal.any([signal, budget]) : budget, this.maxBytes);
    try {
      return decodeWav(bytes);
    } catch (error) {
      if (error instanceof UnsupportedAudioError) {
        throw new TwimlError(TwilioErrorCode.InvalidContentType, `unsupported audio at ${url}: ${error.message}`);
      }
      throw error;
    }
  }
}

function download(url: URL, signal: AbortSignal, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.get : http.get;
    const req = get(url, { signal, rejectUnauthorized: false }, (res) => {
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) {
        res.resume();
        reject(new TwimlError(TwilioErrorCode.HttpRetrievalFailure, `GET ${url.href} answered HTTP ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) req.destroy(new TwimlError(TwilioErrorCode.HttpRetrievalFailure, `audio larger than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('error', (error) =>
      reject(error instanceof TwimlError ? error : new TwimlError(TwilioErrorCode.HttpConnectionFailure, `GET ${url.href}: ${error.message}`)),
    );
  });
}
