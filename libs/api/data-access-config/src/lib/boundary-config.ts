import { isIP } from 'node:net';
import type { SwitchboardMode } from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';

/** Where and how the HTTP server listens; every limit keeps a slow or silent client from holding a socket. */
export interface HttpServerConfig {
  /** Address to bind: loopback in sandbox mode unless HOST is set, every interface in twilio mode. */
  readonly host: string;
  readonly bodyLimitBytes: number;
  /** Longest time to receive a whole request (headers and body); then 408 and the socket closes. */
  readonly requestTimeoutMs: number;
  /** A socket with no traffic at all for this long is closed. */
  readonly connectionTimeoutMs: number;
  /** How long an idle keep-alive connection is kept for the next request. */
  readonly keepAliveTimeoutMs: number;
}

/** What browsers are told and what the API accepts from them. */
export interface BrowserBoundaryConfig {
  /** Origins whose pages may call /api (checked against the Origin header). */
  readonly allowedOrigins: readonly string[];
  /** Origins allowed to frame the softphone (CSP frame-ancestors); empty: none. */
  readonly frameAncestors: readonly string[];
  /** Send Strict-Transport-Security: only when PUBLIC_BASE_URL is https. */
  readonly hsts: boolean;
  /** Serve the OpenAPI page under /api/docs. */
  readonly apiDocs: boolean;
}

type Read = (name: string) => string | undefined;
type Integer = (name: string, fallback: number, min: number, max: number, hint?: string) => number;

const CREDENTIAL_DEFAULTS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['TWILIO_ACCOUNT_SID', SANDBOX_CREDENTIALS.accountSid, false],
  ['TWILIO_AUTH_TOKEN', SANDBOX_CREDENTIALS.authToken, true],
  ['TWILIO_API_KEY_SID', SANDBOX_CREDENTIALS.apiKeySid, false],
  ['TWILIO_API_KEY_SECRET', SANDBOX_CREDENTIALS.apiKeySecret, true],
  ['TWILIO_TWIML_APP_SID', SANDBOX_CREDENTIALS.twimlAppSid, false],
];

/**
 * Fail closed on the mode: sandbox mode seeds demo agents with a published password, trusts a
 * self-signed certificate and serves a demo, so it is never chosen by default once any Twilio value is
 * present, and it never runs with credentials other than the sandbox's (they would be real ones).
 */
export function checkModeRules(env: Readonly<Record<string, string | undefined>>, read: Read, mode: SwitchboardMode, problems: string[]): void {
  const twilioNames = Object.keys(env).filter((name) => name.startsWith('TWILIO_') && read(name) !== undefined).sort();
  if (read('SWITCHBOARD_MODE') === undefined && twilioNames.length > 0) {
    problems.push(`SWITCHBOARD_MODE is required when any TWILIO_* variable is set (found ${twilioNames.join(', ')}): `
      + 'set it to "twilio" for a real account, or to "sandbox" for the local voice sandbox');
  }
  if (mode !== 'sandbox') return;
  for (const [name, sandboxValue, isSecret] of CREDENTIAL_DEFAULTS) {
    const value = read(name);
    if (value !== undefined && value !== sandboxValue) {
      problems.push(`${name} is not the voice sandbox's${isSecret ? ' (value not shown)' : ''}: sandbox mode takes only the sandbox's `
        + 'credentials; unset it, or set SWITCHBOARD_MODE=twilio for a real account');
    }
  }
  const apiBase = read('TWILIO_API_BASE_URL');
  if (apiBase !== undefined && isTwilioHost(apiBase)) {
    problems.push('TWILIO_API_BASE_URL points at Twilio, but sandbox mode accepts any certificate for it: set SWITCHBOARD_MODE=twilio');
  }
}

function isTwilioHost(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'twilio.com' || host.endsWith('.twilio.com');
  } catch {
    return false; // reported by the URL check
  }
}

export function readHttpServerConfig(read: Read, integer: Integer, mode: SwitchboardMode, problems: string[]): HttpServerConfig {
  const host = read('HOST') ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0');
  if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host)) {
    problems.push('HOST must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0');
  }
  return {
    host,
    bodyLimitBytes: integer('HTTP_BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024, ' (bytes)'),
    requestTimeoutMs: integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000, ' (milliseconds)'),
    connectionTimeoutMs: integer('HTTP_CONNECTION_TIMEOUT_MS', 120_000, 1000, 3_600_000, ' (milliseconds)'),
    keepAliveTimeoutMs: integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, 1000, 600_000, ' (milliseconds; longer than a load balancer\'s idle timeout)'),
  };
}

export function readBrowserBoundaryConfig(
  read: Read,
  context: { mode: SwitchboardMode; port: number; publicBaseUrl: string },
  problems: string[],
): BrowserBoundaryConfig {
  const publicOrigin = originOf(context.publicBaseUrl);
  // `npm start` prints http://localhost:PORT while the default public URL is 127.0.0.1: both are this API.
  const allowedOrigins = read('PUBLIC_BASE_URL') === undefined
    ? [...new Set([publicOrigin, `http://localhost:${context.port}`, `http://127.0.0.1:${context.port}`, `http://[::1]:${context.port}`])]
    : [publicOrigin];

  const frameAncestors = (read('FRAME_ANCESTORS') ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  if (!frameAncestors.every((o) => originOf(o) === o.replace(/\/+$/, ''))) {
    problems.push('FRAME_ANCESTORS must be a comma-separated list of origins allowed to embed the softphone, e.g. https://crm.example.com');
  }

  const docsRaw = read('API_DOCS');
  if (docsRaw !== undefined && docsRaw !== 'on' && docsRaw !== 'off') problems.push('API_DOCS must be "on" or "off"');
  const apiDocs = docsRaw === undefined ? context.mode === 'sandbox' : docsRaw === 'on';

  return {
    allowedOrigins,
    frameAncestors: frameAncestors.map((o) => o.replace(/\/+$/, '')),
    hsts: context.publicBaseUrl.startsWith('https:'),
    apiDocs,
  };
}

/** `scheme://host[:port]` of an http(s) URL, or '' when it is not one. */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : '';
  } catch {
    return '';
  }
}
