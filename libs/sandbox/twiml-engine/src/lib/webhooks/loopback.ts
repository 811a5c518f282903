import { TwilioErrorCode, TwimlError } from '../twiml/twiml-errors';

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

/** The sandbox only ever talks to this machine (DESIGN.md: nothing leaves it in sandbox mode). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(host) || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Parses an http(s) URL on a loopback host, or throws TwimlError 11210. */
export function requireLoopbackUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TwimlError(TwilioErrorCode.HttpBadHostName, `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TwimlError(TwilioErrorCode.HttpBadHostName, `"${url}" is not http(s)`);
  }
  if (!isLoopbackHost(parsed.hostname)) {
    throw new TwimlError(
      TwilioErrorCode.HttpBadHostName,
      `refused ${parsed.hostname}: the sandbox only requests loopback hosts (127.0.0.0/8, ::1, localhost)`,
    );
  }
  return parsed;
}
