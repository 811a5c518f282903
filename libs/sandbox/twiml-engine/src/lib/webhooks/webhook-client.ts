import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { TwilioErrorCode, TwimlError } from '../twiml/twiml-errors';
import type { TLSSocket } from 'node:tls';
import { systemClock, type SandboxClock } from '@switchboard/sandbox-model';
import { silentLogger, type SandboxLogger } from '../ports';
import { parseWebhookUrl } from './connection-overrides';
import { requireLoopbackUrl } from './loopback';
import { twilioHoldMusicAnswer } from './twilio-hold-music';
import { attemptWithOverrides, type AttemptProgress } from './webhook-attempts';

export interface WebhookRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Form parameters with Twilio's names; signed as sent. */
  readonly params: Readonly<Record<string, string>>;
  /** Whose auth token signs the request. */
  readonly accountSid: string;
  /** Aborts the request (e.g. the caller hung up while a TwiML fetch was pending). */
  readonly signal?: AbortSignal;
}

export type TwimlFetchResult =
  | { readonly ok: true; readonly body: string; readonly url: string }
  | { readonly ok: false; readonly code: number; readonly message: string };

export type NotifyResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly code: number; readonly message: string };

/** How the engine talks to the app's webhooks; HttpWebhookClient is the real one. */
export interface WebhookClient {
  /** Fetches TwiML: 2xx with an XML content type, or a Twilio error code (11200/11205/11210/11215/12300). */
  fetchTwiml(request: WebhookRequest): Promise<TwimlFetchResult>;
  /** Sends a status or recording callback; the answer's body is ignored (non-2xx → 15003). */
  notify(request: WebhookRequest): Promise<NotifyResult>;
}

export interface HttpWebhookClientOptions {
  /** The account's auth token (never an API key secret): Twilio signs with it. */
  readonly authToken: (accountSid: string) => string | undefined;
  /**
   * Twilio's total budget per webhook, connect and retries included (`tt`'s default): 15 s. The
   * connect (5 s) and read (15 s) defaults are capped by it. A URL's `#ct,rt,tt,rc,rp` override these.
   */
  readonly timeoutMs?: number;
  /** Runs the connect, read and total timers; the system clock unless a test gives a fake one. */
  readonly clock?: SandboxClock;
  /** Where connection-override warnings go (out-of-range values, unknown keys). */
  readonly log?: SandboxLogger;
  /** Largest TwiML answer read; Twilio caps documents at 64 kB of TwiML. */
  readonly maxBodyBytes?: number;
}

const MAX_HTTP_REDIRECTS = 5;
const XML_CONTENT_TYPE = /^\s*(text|application)\/xml\s*(;|$)/i;

/**
 * Signed form-encoded webhooks over node:http(s), to loopback hosts only (Twilio's hold-music
 * twimlet and its music files are answered locally, with the built-in hold music). The signature is
 * twilio's own `getExpectedTwilioSignature(authToken, url, params)` over the exact URL requested
 * (for GET, with the parameters in its query string and no body parameters). A URL fragment is
 * read as Twilio's connection overrides (`#ct=…&rt=…&tt=…&rc=…&rp=…&sni=…&e=…`) and never sent.
 */
export class HttpWebhookClient implements WebhookClient {
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly clock: SandboxClock;
  private readonly log: SandboxLogger;

  constructor(private readonly options: HttpWebhookClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  }

  async fetchTwiml(request: WebhookRequest): Promise<TwimlFetchResult> {
    try {
      const response = await this.send(request);
      if (response.status < 200 || response.status > 299) {
        return fail(TwilioErrorCode.HttpRetrievalFailure, `${request.method} ${response.url} answered HTTP ${response.status}`);
      }
      if (!XML_CONTENT_TYPE.test(response.contentType)) {
        return fail(
          TwilioErrorCode.InvalidContentType,
          `${response.url} answered Content-Type "${response.contentType || '(none)'}", TwiML needs text/xml or application/xml`,
        );
      }
      return { ok: true, body: response.body, url: response.url };
    } catch (error) {
      return asFailure(error);
    }
  }

  async notify(request: WebhookRequest): Promise<NotifyResult> {
    try {
      const response = await this.send(request);
      if (response.status < 200 || response.status > 299) {
        return fail(TwilioErrorCode.StatusCallbackFailure, `${request.method} ${response.url} answered HTTP ${response.status}`);
      }
      return { ok: true, status: response.status };
    } catch (error) {
      return asFailure(error);
    }
  }

  private async send(request: WebhookRequest): Promise<{ status: number; contentType: string; body: string; url: string }> {
    const authToken = this.options.authToken(request.accountSid);
    if (!authToken) throw new TwimlError(TwilioErrorCode.HttpRetrievalFailure, `no auth token for account ${request.accountSid}`);
    const { url: firstUrl, overrides, warnings } = parseWebhookUrl(request.url, { tt: this.timeoutMs });
    for (const warning of warnings) this.log.warn(`webhook connection override: ${warning}`, { url: request.url });
    const deadline = this.clock.now() + overrides.totalTimeoutMs;
    // The same token on every retry of this webhook, as Twilio sends it.
    const idempotencyToken = randomUUID();
    let method = request.method;
    let url = firstUrl;
    for (let hop = 0; hop <= MAX_HTTP_REDIRECTS; hop++) {
      // Twilio's own hold music is answered here, never fetched (see twilio-hold-music.ts).
      const holdMusic = twilioHoldMusicAnswer(url);
      if (holdMusic) {
        this.log.info("Twilio's hold music: the sandbox answers with its built-in loop", { url });
        return { status: 200, ...holdMusic, url };
      }
      const target = requireLoopbackUrl(url);
      const form = new URLSearchParams(request.params).toString();
      const requestUrl = method === 'GET' && form ? `${url}${url.includes('?') ? '&' : '?'}${form}` : url;
      const signature = getExpectedTwilioSignature(authToken, requestUrl, method === 'POST' ? { ...request.params } : {});
      const options = {
        method,
        body: method === 'POST' ? form : undefined,
        headers: {
          'X-Twilio-Signature': signature,
          'I-Twilio-Idempotency-Token': idempotencyToken,
          'User-Agent': 'TwilioProxy/1.1 (Switchboard voice sandbox)',
          Accept: '*/*',
          ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
        },
        maxBodyBytes: this.maxBodyBytes,
      };
      // Redirects share the one total budget; retries (ct, rt, rc, rp) repeat the hop that failed.
      const remaining = { ...overrides, totalTimeoutMs: Math.max(0, deadline - this.clock.now()) };
      const { value: response } = await attemptWithOverrides(
        (signal, progress) => httpRequest(requestUrl, target.protocol, { ...options, signal, progress }).then((r) => ({ status: r.status, value: r })),
        remaining,
        this.clock,
        request.signal,
      );
      if (response.status >= 300 && response.status < 400 && response.location) {
        url = withoutFragment(new URL(response.location, requestUrl).href);
        if (response.status === 303) method = 'GET';
        continue;
      }
      return { ...response, url: requestUrl };
    }
    throw new TwimlError(TwilioErrorCode.HttpTooManyRedirects, `more than ${MAX_HTTP_REDIRECTS} HTTP redirects from ${request.url}`);
  }
}

function fail(code: number, message: string): { ok: false; code: number; message: string } {
  return { ok: false, code, message };
}

function asFailure(error: unknown): { ok: false; code: number; message: string } {
  if (error instanceof TwimlError) return fail(error.code, error.message);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return fail(TwilioErrorCode.HttpConnectionFailure, message);
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

function httpRequest(
  url: string,
  protocol: string,
  options: {
    method: string;
    body?: string;
    headers: Record<string, string>;
    signal: AbortSignal;
    progress: AttemptProgress;
    maxBodyBytes: number;
  },
): Promise<{ status: number; contentType: string; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const send = protocol === 'https:' ? https.request : http.request;
    const headers = { ...options.headers, ...(options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}) };
    // Loopback only, so a self-signed local certificate is acceptable.
    const req = send(url, { method: options.method, headers, signal: options.signal, rejectUnauthorized: false }, (res) => {
      options.progress.received();
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        options.progress.received();
        size += chunk.length;
        if (size > options.maxBodyBytes) {
          req.destroy(new TwimlError(TwilioErrorCode.HttpRetrievalFailure, `answer larger than ${options.maxBodyBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
          location: res.headers.location,
        }),
      );
      res.on('error', reject);
    });
    req.on('socket', (socket) => {
      // A kept-alive socket is already up; a new one is up after TCP (and TLS for https).
      if (!socket.connecting && (protocol !== 'https:' || (socket as TLSSocket).encrypted)) options.progress.connected();
      else socket.once(protocol === 'https:' ? 'secureConnect' : 'connect', () => options.progress.connected());
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
