import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-util';

/** The sandbox's own routes (admin view, inbound calls, fault hooks) live under this prefix. */
export const ADMIN_PREFIX = '/sandbox/';

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Keeps web pages away from the admin and fault routes. A page can make the browser send a
 * "simple" cross-site POST (form-encoded or text/plain, no preflight) to any origin, loopback
 * included; our tools call these routes from Node, which sends no Origin and no Sec-Fetch-Site.
 * So: refuse any request a browser marks as coming from another origin (403), and accept only
 * JSON bodies on POST (415), which a page cannot send cross-origin without a CORS preflight
 * that the sandbox never grants.
 */
export function guardAdminRequest(req: IncomingMessage): void {
  const fetchSite = header(req, 'sec-fetch-site');
  const origin = header(req, 'origin');
  const ownOrigin = `https://${header(req, 'host') ?? ''}`;
  if (fetchSite === 'cross-site' || fetchSite === 'same-site' || (origin !== undefined && origin !== ownOrigin)) {
    throw new HttpError(
      403,
      `Cross-site requests to ${ADMIN_PREFIX}* are refused (Origin ${origin ?? 'absent'}, Sec-Fetch-Site ${fetchSite ?? 'absent'}): `
        + 'call the admin and fault routes from a tool such as curl or Node, not from a web page.',
    );
  }
  if (req.method === 'POST' && !JSON_CONTENT_TYPE.test(header(req, 'content-type') ?? '')) {
    throw new HttpError(
      415,
      `${ADMIN_PREFIX}* takes JSON only, got Content-Type ${header(req, 'content-type') ?? '(none)'}: `
        + 'send the body as JSON with "Content-Type: application/json".',
    );
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
