/**
 * Reads one form parameter as Twilio sends it. A repeated key (an array) or a non-string is treated
 * as absent: Twilio never repeats the parameters we read, so a repeat is not a genuine request.
 */
export function formParam(body: unknown, name: string, maxLength = 256): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  if (!Object.prototype.hasOwnProperty.call(body, name)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (typeof value !== 'string' || value.length > maxLength) return undefined;
  return value;
}

/** Twilio sends TwiML App / client identities as `client:<identity>`; identities are [A-Za-z0-9_]{1,121}. */
export const IDENTITY_PATTERN = /^[A-Za-z0-9_]{1,121}$/;

export function clientIdentity(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^client:([A-Za-z0-9_]{1,121})$/.exec(value);
  return match ? match[1] : undefined;
}
