import { request as httpRequest } from 'node:http';

export interface RawRequest {
  readonly method?: string;
  /** Sent byte for byte as the request target: no URL parser re-encodes it (fetch would turn `'` into %27). */
  readonly path: string;
  /** An array value sends the header once per element (a duplicated header). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/**
 * One HTTP/1.1 request to the API under test, on a fresh connection. Header values are written as
 * latin1, so a test can send bytes that are whitespace to JavaScript but not to HTTP (e.g. 0xA0).
 */
export function rawRequest(baseUrl: string, { method = 'POST', path, headers = {}, body }: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, agent: false, insecureHTTPParser: false }, (res) => {
      // A stream (server-sent events) never ends: its status line is the answer.
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // A request the API never answers is a finding, not a hung suite (the API's own request timeout is 30 s).
    req.setTimeout(NO_ANSWER_MS, () => req.destroy(new Error(`no answer within ${NO_ANSWER_MS} ms: ${method} ${path}`)));
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, typeof value === 'string' ? value : [...value]);
    if (body !== undefined) req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body);
  });
}

const NO_ANSWER_MS = 45_000;

export const FORM = 'application/x-www-form-urlencoded';

/**
 * A form body from ordered pairs (repeated keys allowed), encoded as Twilio encodes it
 * (application/x-www-form-urlencoded: space as `+`).
 */
export function formBody(pairs: ReadonlyArray<readonly [string, string]>): string {
  return new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString();
}

/** The parameters as the validator sees them: repeated keys become arrays. */
export function paramsOf(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of pairs) {
    const existing = params[key];
    params[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}
