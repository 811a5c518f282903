import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { TwilioErrorCode, TwimlError } from '../twiml/twiml-errors';
import { requireLoopbackUrl } from './loopback';

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
  /** Twilio's total budget per webhook, connect included: 15 s. */
  readonly timeoutMs?: number;
  /** Largest TwiML answer read; Twilio caps documents at 64 kB of TwiML. */
  readonly maxBodyBytes?: number;
}

const MAX_HTTP_REDIRECTS = 5;
const XML_CONTENT_TYPE = /^\s*(text|application)\/xml\s*(;|$)/i;

/**
 * Signed form-encoded webhooks over node:http(s), to loopback hosts only. The signature is
 * twilio's own `getExpectedTwilioSignature(authToken, url, params)` over the exact URL requested
 * (for GET, with the parameters in its query string and no body parameters).
 */
export class HttpWebhookClient implements WebhookClient {
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: HttpWebhookClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
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
    const signal = request.signal
      ? AbortSignal.any([request.signal, AbortSignal.timeout(this.timeoutMs)])
      : AbortSignal.timeout(this.timeoutMs);
    const idempotencyToken = randomUUID();
    let method = request.method;
    let url = withoutFragment(request.url);
    for (let hop = 0; hop <= MAX_HTTP_REDIRECTS; hop++) {
      const target = requireLoopbackUrl(url);
      const form = new URLSearchParams(request.params).toString();
      const requestUrl = method === 'GET' && form ? `${url}${url.includes('?') ? '&' : '?'}${form}` : url;
      const signature = getExpectedTwilioSignature(authToken, requestUrl, method === 'POST' ? { ...request.params } : {});
      const response = await httpRequest(requestUrl, target.protocol, {
        method,
        body: method === 'POST' ? form : undefined,
        headers: {
          'X-Twilio-Signature': signature,
          'I-Twilio-Idempotency-Token': idempotencyToken,
          'User-Agent': 'TwilioProxy/1.1 (Switchboard voice sandbox)',
          Accept: '*/*',
          ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
        },
        signal,
        maxBodyBytes: this.maxBodyBytes,
      });
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
  options: { method: string; body?: string; headers: Record<string, string>; signal: AbortSignal; maxBodyBytes: number },
): Promise<{ status: number; contentType: string; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const send = protocol === 'https:' ? https.request : http.request;
    const headers = { ...options.headers, ...(options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}) };
    // Loopback only, so a self-signed local certificate is acceptable.
    const req = send(url, { method: options.method, headers, signal: options.signal, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
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
    req.on('error', (error) => reject(options.signal.aborted && !(error instanceof TwimlError) ? timeoutOrAbort(options.signal) : error));
    req.end(options.body);
  });
}

function timeoutOrAbort(signal: AbortSignal): Error {
  const reason = signal.reason as unknown;
  const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
  return new TwimlError(TwilioErrorCode.HttpConnectionFailure, timedOut ? 'no complete answer within the time budget' : 'request aborted');
}
