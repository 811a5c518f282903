import type { CountryCode, PhoneNumber } from 'libphonenumber-js';
import { isE164, type E164, type NumberType } from './e164';
import { scanPhoneInput } from './phone-input';

export type ParseFailureReason = 'empty' | 'too-long' | 'invalid-characters' | 'not-a-number' | 'invalid';

export interface ParsedPhoneNumber {
  ok: true;
  e164: E164;
  /** Undefined for non-geographic numbers (+800, +881, +883, ...). */
  country: CountryCode | undefined;
  type: NumberType | undefined;
  /** As written inside the country, e.g. `(415) 555-0100`. */
  national: string;
  /** As written from abroad, e.g. `+1 415 555 0100`. */
  international: string;
}

export type ParseResult = ParsedPhoneNumber | { ok: false; reason: ParseFailureReason };

/** The parts of a libphonenumber-js build (min or max metadata) the parser needs. */
export interface PhoneNumberLibrary {
  parsePhoneNumberFromString(text: string, defaultCountry?: CountryCode): PhoneNumber | undefined;
  isSupportedCountry(country: string): boolean;
}

/**
 * Shared by the light and the type-aware parser; each passes its own libphonenumber-js build,
 * so the light one never pulls the `max` metadata into a bundle.
 */
export function parseWithLibrary(
  library: PhoneNumberLibrary,
  input: string,
  defaultCountry?: CountryCode,
): ParseResult {
  const scanned = scanPhoneInput(input);
  if (!scanned.ok) return scanned;
  try {
    // A default country a JavaScript caller made up is ignored rather than thrown on.
    const country =
      defaultCountry !== undefined && library.isSupportedCountry(defaultCountry) ? defaultCountry : undefined;
    const parsed = library.parsePhoneNumberFromString(scanned.compact, scanned.internationalPrefix !== undefined ? undefined : country);
    if (parsed === undefined || !parsed.isValid() || !isE164(parsed.number)) return { ok: false, reason: 'invalid' };
    return {
      ok: true,
      e164: parsed.number,
      country: parsed.country,
      type: parsed.getType(),
      national: parsed.formatNational(),
      international: parsed.formatInternational(),
    };
  } catch {
    // libphonenumber-js documents no throw from parsePhoneNumberFromString; this keeps "never throws" true anyway.
    return { ok: false, reason: 'invalid' };
  }
}
