import { createHash } from 'node:crypto';
import type { ApiErrorBody } from '@switchboard/shared-contracts';
import { API_ROUTES, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpErrorName } from './api-errors';

/** What the browser-facing checks need to know; built from AppConfig by the app. */
export interface BrowserBoundaryOptions {
  readonly mode: 'sandbox' | 'twilio';
  /** Origins whose pages may call /api. */
  readonly allowedOrigins: readonly string[];
  /** Origins allowed to frame the softphone; empty: none. */
  readonly frameAncestors: readonly string[];
  /** Sandbox mode: the sandbox's host[:port] (signaling, REST and sounds); null in twilio mode. */
  readonly sandboxHost: string | null;
  /** PUBLIC_BASE_URL is https: upgrade the page's own requests too. */
  readonly https: boolean;
  /** Inline event handlers of the served index.html (Angular's `onload="this.media='all'"`), allowed by hash. */
  readonly inlineHandlers?: readonly string[];
}

/**
 * Where the Voice SDK connects in twilio mode: signaling on wss://voice-js.<edge>.twilio.com (and the
 * roaming host), Insights on https://eventgw.twilio.com, and its ringtones from sdk.twilio.com and
 * media.twiliocdn.com. Media itself is WebRTC, which CSP does not govern.
 */
const TWILIO_CONNECT = ['https://*.twilio.com', 'wss://*.twilio.com', 'https://media.twiliocdn.com'];
const TWILIO_MEDIA = ['https://sdk.twilio.com', 'https://media.twiliocdn.com'];

/** The softphone's Content-Security-Policy, one per mode. */
export function contentSecurityPolicyDirectives(options: BrowserBoundaryOptions): Record<string, string[]> {
  const [connect, media] = options.sandboxHost
    ? [[`https://${options.sandboxHost}`, `wss://${options.sandboxHost}`], [`https://${options.sandboxHost}`]]
    : [TWILIO_CONNECT, TWILIO_MEDIA];
  const handlerHashes = (options.inlineHandlers ?? []).map((code) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`);
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': handlerHashes.length > 0 ? ["'unsafe-hashes'", ...handlerHashes] : ["'none'"],
    // Angular inlines the critical CSS and adds every component's styles as <style> elements.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...connect],
    'media-src': ["'self'", 'blob:', ...media],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': options.frameAncestors.length > 0 ? [...options.frameAncestors] : ["'none'"],
    ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** The softphone needs the microphone; nothing else powerful. An embedding origin may delegate it. */
export function permissionsPolicy(options: Pick<BrowserBoundaryOptions, 'frameAncestors'>): string {
  const microphone = ['self', ...options.frameAncestors.map((origin) => `"${origin}"`)].join(' ');
  return `microphone=(${microphone}), camera=(), geolocation=(), payment=(), usb=(), display-capture=()`;
}

/** Inline event-handler attributes of an HTML page, e.g. `this.media='all'`. */
export function inlineEventHandlers(html: string): string[] {
  return [...new Set([...html.matchAll(/\son[a-z]+="([^"]*)"/g)].map((match) => match[1]))];
}

const WEBHOOK_PATHS = new Set<string>(Object.values(WEBHOOK_ROUTES));
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Fastify hooks in front of every route:
 * - agent routes under /api refuse what a cross-site page can send: a `Sec-Fetch-Site` of cross-site or
 *   same-site (another port on the same host is same-site), an `Origin` other than the API's own, and
 *   any body that is not JSON (a cross-site HTML form can only post form, multipart or text bodies);
 * - webhook routes answer 405 with `Allow: POST` to any other method instead of 404;
 * - every answer carries the Permissions-Policy.
 * Clients that send neither header (Twilio, the sandbox, curl) are unaffected.
 */
export function registerBrowserBoundary(fastify: FastifyInstance, options: BrowserBoundaryOptions): void {
  const allowedOrigins = new Set(options.allowedOrigins);
  const permissions = permissionsPolicy(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('Permissions-Policy', permissions);
    const path = request.url.split('?')[0];
    if (WEBHOOK_PATHS.has(path) && request.method !== 'POST') {
      refuse(reply.header('Allow', 'POST'), 405, `${path} is a Twilio webhook: it answers POST only`);
      return;
    }
    if (path === '/api' || path.startsWith('/api/')) {
      const problem = crossSiteProblem(request, allowedOrigins) ?? (isDocs(path) ? null : contentTypeProblem(request));
      if (problem) {
        refuse(reply, problem.status, problem.message);
        return;
      }
    }
    done();
  });
}

function isDocs(path: string): boolean {
  return path === API_ROUTES.docs || path.startsWith(`${API_ROUTES.docs}/`) || path.startsWith(`${API_ROUTES.docs}-`);
}

function crossSiteProblem(request: FastifyRequest, allowedOrigins: ReadonlySet<string>): { status: number; message: string } | null {
  const site = header(request, 'sec-fetch-site');
  // A link to the API documentation from elsewhere is a top-level navigation, and harmless.
  const docsNavigation = isDocs(request.url.split('?')[0]) && request.method === 'GET' && header(request, 'sec-fetch-mode') === 'navigate';
  if (site !== undefined && site !== 'same-origin' && site !== 'none' && !docsNavigation) {
    return { status: 403, message: `Cross-site request refused (Sec-Fetch-Site: ${site}): the API answers only pages it serves itself` };
  }
  const origin = header(request, 'origin');
  if (origin !== undefined && !allowedOrigins.has(origin)) {
    return { status: 403, message: 'Request from another origin refused: open the softphone at PUBLIC_BASE_URL (or set PUBLIC_BASE_URL to the address you use)' };
  }
  return null;
}

function contentTypeProblem(request: FastifyRequest): { status: number; message: string } | null {
  if (!BODY_METHODS.has(request.method)) return null;
  const contentType = header(request, 'content-type');
  const length = header(request, 'content-length');
  const hasBody = header(request, 'transfer-encoding') !== undefined || (length !== undefined && length !== '0');
  if (contentType === undefined && !hasBody) return null;
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') return null;
  return { status: 415, message: 'The agent API accepts JSON bodies only: send Content-Type: application/json' };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function refuse(reply: FastifyReply, status: number, message: string): void {
  const body: ApiErrorBody = { statusCode: status, error: httpErrorName(status), message };
  void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
}
