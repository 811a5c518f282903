import http from 'node:http';
import https from 'node:https';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { AgentDialer, CallFetcher, ProviderCall, RecordingAudio, RecordingFetcher, RingAgentCall, TelephonyError } from '@switchboard/api-data-access-telephony';
import type twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient';

type RequestOptions<TData> = TwilioRequestClient.RequestOptions<TData>;

/** Every REST request's deadline unless a client is given another. */
export const DEFAULT_REST_TIMEOUT_MS = 15_000;

/**
 * The twilio package's index loads its REST client (axios and every resource): ~20 MiB of RSS and ~0.5 s of start
 * measured on node 20, which the token and webhook routes never use (they import the jwt, webhooks and twiml modules
 * directly). It is required on the first REST request instead, synchronously so callers keep their shape.
 */
function loadTwilio(): typeof twilio {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy, see above
  return require('twilio') as typeof twilio;
}

type BaseUrlRequestClientClass = new (baseUrl: string, acceptSelfSignedTls: boolean, timeoutMs?: number) => TwilioRequestClient;
let baseUrlRequestClientClass: BaseUrlRequestClientClass | undefined;

/**
 * The twilio client always builds https://api.twilio.com/… URLs; this RequestClient re-bases every
 * request onto TWILIO_API_BASE_URL (the voice sandbox in sandbox mode). In sandbox mode, and only there,
 * its https agent accepts the sandbox's self-signed certificate; no other client in the API does.
 * Defined on first use, as it extends the lazily loaded twilio RequestClient.
 */
function baseUrlRequestClient(): BaseUrlRequestClientClass {
  return baseUrlRequestClientClass ??= class BaseUrlRequestClient extends loadTwilio().RequestClient {
    constructor(private readonly baseUrl: string, acceptSelfSignedTls: boolean, timeoutMs = DEFAULT_REST_TIMEOUT_MS) {
      super({ timeout: timeoutMs, keepAlive: true });
      this.axios.defaults.httpsAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: !acceptSelfSignedTls });
      this.axios.defaults.httpAgent = new http.Agent({ keepAlive: true });
      // axios's `timeout` is the socket's idle time; this deadline bounds the whole request, so a server that
      // accepts and then trickles (or never finishes) cannot hold a caller past timeoutMs either.
      this.axios.interceptors.request.use((request) => {
        request.signal ??= AbortSignal.timeout(timeoutMs);
        return request;
      });
    }

    override request<TData>(opts: RequestOptions<TData>) {
      const original = new URL(opts.uri);
      return super.request<TData>({ ...opts, uri: `${this.baseUrl}${original.pathname}${original.search}` });
    }
  };
}

@Injectable()
export class TwilioRestDialer extends AgentDialer {
  private readonly logger = new Logger('TwilioRestDialer');
  private readonly rest: () => twilio.Twilio;
  private get client(): twilio.Twilio { return this.rest(); }

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.rest = lazyTwilioRestClient(config);
  }

  async ring(call: RingAgentCall): Promise<{ callSid: string; status: string }> {
    try {
      const created = await this.client.calls.create({
        to: call.to,
        from: call.from,
        url: call.url,
        method: 'POST',
        timeout: call.timeoutSeconds,
        statusCallback: call.statusCallbackUrl,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      });
      return { callSid: created.sid, status: created.status };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      this.logger.warn(`REST calls.create failed: ${(error as Error).message}`);
      throw new TelephonyError('The telephony provider did not accept the call', typeof status === 'number' ? status : null);
    }
  }
}

/** `Calls/{sid}.json` through the twilio client, on TWILIO_API_BASE_URL (the sandbox serves it too). */
@Injectable()
export class TwilioCallFetcher extends CallFetcher {
  private readonly rest: () => twilio.Twilio;
  private get client(): twilio.Twilio { return this.rest(); }

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.rest = lazyTwilioRestClient(config);
  }

  async fetch(callSid: string): Promise<ProviderCall | null> {
    try {
      const call = await this.client.calls(callSid).fetch();
      const duration = Number(call.duration);
      return {
        callSid: call.sid,
        status: call.status,
        durationSeconds: call.duration !== null && call.duration !== undefined && Number.isFinite(duration) ? duration : null,
        endedAt: call.endTime instanceof Date && !Number.isNaN(call.endTime.getTime()) ? call.endTime : null,
      };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 404) return null;
      throw new TelephonyError(`REST Calls/${callSid} fetch failed: ${(error as Error).message}`, typeof status === 'number' ? status : null);
    }
  }
}

/** The twilio REST client on TWILIO_API_BASE_URL with the account's credentials; `timeoutMs` bounds each request. */
export function twilioRestClient(config: AppConfig, timeoutMs = DEFAULT_REST_TIMEOUT_MS): twilio.Twilio {
  const { accountSid, authToken, apiBaseUrl, acceptSelfSignedTls } = config.twilio;
  const RequestClient = baseUrlRequestClient();
  return loadTwilio()(accountSid, authToken, { accountSid, httpClient: new RequestClient(apiBaseUrl, acceptSelfSignedTls, timeoutMs) });
}

/** twilioRestClient made on first call (and kept): services hold this, so the API starts without the REST client. */
export function lazyTwilioRestClient(config: AppConfig, timeoutMs = DEFAULT_REST_TIMEOUT_MS): () => twilio.Twilio {
  let client: twilio.Twilio | undefined;
  return () => client ??= twilioRestClient(config, timeoutMs);
}

/** Streams a recording from the REST origin with Basic auth (account SID + auth token). */
@Injectable()
export class TwilioRecordingFetcher extends RecordingFetcher {
  private readonly origin: string;
  private readonly httpsAgent: https.Agent;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    this.origin = new URL(config.twilio.apiBaseUrl).origin;
    this.httpsAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: !config.twilio.acceptSelfSignedTls });
  }

  isTrustedUrl(url: string): boolean {
    try {
      const parsed = new URL(url);
      return parsed.origin === this.origin && !parsed.username && !parsed.password;
    } catch {
      return false;
    }
  }

  fetch(url: string): Promise<RecordingAudio> {
    if (!this.isTrustedUrl(url)) return Promise.reject(new TelephonyError('Recording URL is not on the REST origin', null));
    const { accountSid, authToken } = this.config.twilio;
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.get(target, {
        auth: `${accountSid}:${authToken}`,
        headers: { Accept: 'audio/wav, audio/*' },
        timeout: 15_000,
        ...(target.protocol === 'https:' ? { agent: this.httpsAgent } : {}),
      }, (response) => {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          response.resume();
          reject(new TelephonyError(`Recording fetch answered ${status}`, status));
          return;
        }
        const length = Number(response.headers['content-length']);
        const type = response.headers['content-type'] ?? '';
        resolve({
          contentType: type.startsWith('audio/') ? type : 'audio/wav',
          contentLength: Number.isFinite(length) ? length : null,
          body: response,
        });
      });
      request.on('timeout', () => request.destroy(new TelephonyError('Recording fetch timed out', null)));
      request.on('error', (error) => reject(error instanceof TelephonyError ? error : new TelephonyError('Recording fetch failed', null)));
    });
  }
}
