/**
 * The character-level checks every parser and the formatter share. No libphonenumber-js import,
 * so this costs the browser nothing.
 */

/** Longer input is refused before any parsing: no real number, however punctuated, needs more. */
export const MAX_INPUT_LENGTH = 32;

/** E.164 allows at most 15 digits after the `+`. */
export const MAX_E164_DIGITS = 15;

export type PhoneInputRejection = 'empty' | 'too-long' | 'invalid-characters' | 'not-a-number';

export type ScannedPhoneInput =
  | {
      ok: true;
      /** Digits only, with a leading `+` when the input was international (`+` or `00`). */
      compact: string;
      /** How the input marked itself international, if it did. */
      internationalPrefix: '+' | '00' | undefined;
    }
  | { ok: false; reason: PhoneInputRejection };

// Separators people type or paste: ASCII space, tab-free Unicode spaces (no-break, thin, narrow
// no-break, figure...), hyphen and the Unicode dashes and minus, dot, parentheses.
const SEPARATOR = /[ \u00a0\u2000-\u200a\u202f\u205f\u3000\-\u2010-\u2015\u2212.()]/u;
const ASCII_DIGIT = /[0-9]/;

/**
 * Checks `input` character by character and reduces it to digits (and a leading `+`).
 * Letters (so vanity numbers and `client:` identities), control characters, `*`, `#`, `/`,
 * non-ASCII digits and a `+` anywhere but the start are refused.
 */
export function scanPhoneInput(input: string): ScannedPhoneInput {
  if (typeof input !== 'string') return { ok: false, reason: 'invalid-characters' };
  if (input.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'too-long' };
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };

  let digits = '';
  let hasPlus = false;
  for (const [index, char] of Array.from(trimmed).entries()) {
    if (ASCII_DIGIT.test(char)) {
      digits += char;
    } else if (char === '+' && index === 0) {
      hasPlus = true;
    } else if (!SEPARATOR.test(char)) {
      return { ok: false, reason: 'invalid-characters' };
    }
  }
  if (digits === '') return { ok: false, reason: 'not-a-number' };

  // `00` is the international prefix across most of the world; treat it as `+`.
  const hasDoubleZero = !hasPlus && digits.startsWith('00');
  const significant = hasDoubleZero ? digits.slice(2) : digits;
  const internationalPrefix = hasPlus ? '+' : hasDoubleZero ? '00' : undefined;
  if (internationalPrefix !== undefined && significant === '') return { ok: false, reason: 'not-a-number' };
  if (significant.length > MAX_E164_DIGITS) return { ok: false, reason: 'too-long' };
  return {
    ok: true,
    compact: internationalPrefix === undefined ? significant : `+${significant}`,
    internationalPrefix,
  };
}
