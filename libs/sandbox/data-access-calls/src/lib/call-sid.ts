import { randomBytes } from 'node:crypto';

/** Twilio-shaped SIDs: a two-letter prefix and 32 lowercase hex digits. */
export function newSid(prefix: 'CA' | 'RE' | 'RT'): string {
  return prefix + randomBytes(16).toString('hex');
}
