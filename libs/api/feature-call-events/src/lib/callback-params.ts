import { badField } from '@switchboard/api-http-boundary';
import { formParam, SID_PATTERNS } from '@switchboard/shared-contracts';

export function requireMatch(body: unknown, name: string, pattern: RegExp, expected: string): string {
  const value = formParam(body, name);
  if (value === undefined || !pattern.test(value)) throw badField(name, `${name} must be ${expected}`);
  return value;
}

export const requireCallSid = (body: unknown) => requireMatch(body, 'CallSid', SID_PATTERNS.call, 'a call SID (CA + 32 hex digits)');

export function optionalDigits(body: unknown, name: string): number | null {
  const value = formParam(body, name);
  if (value === undefined || value === '') return null;
  if (!/^\d{1,9}$/.test(value)) throw badField(name, `${name} must be a whole number`);
  return Number(value);
}

/** Twilio's Timestamp (RFC 2822) or ISO 8601; the receipt time when absent or unreadable. */
export function eventTime(body: unknown): Date {
  const value = formParam(body, 'Timestamp', 64);
  const parsed = value ? Date.parse(value) : Number.NaN;
  return Number.isFinite(parsed) ? new Date(parsed) : new Date();
}

/**
 * Text Postgres can store: it refuses U+0000 in text and jsonb, so a signed callback carrying `%00`
 * would fail on every retry (503 forever). It becomes U+FFFD, visibly replaced.
 */
export function storableText(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD');
}

/** Every received parameter that is a plain string, for the raw event row. */
export function rawPayload(body: unknown): Record<string, string> {
  const payload: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return payload;
  for (const [key, value] of Object.entries(body as Record<string, unknown>).slice(0, 100)) {
    if (typeof value === 'string') payload[storableText(key.slice(0, 64))] = storableText(value.slice(0, 1024));
  }
  return payload;
}
