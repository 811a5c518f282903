import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from './e164';
import { parseWithLibrary, type ParseResult } from './parse-result';

const maxLibrary = { isSupportedCountry, parsePhoneNumberFromString };

/**
 * Like {@link parsePhoneNumber}, with the full (`max`) metadata: validity is checked against every
 * number range and `type` is known for every valid number. About 150 KB of metadata: for servers.
 */
export function parsePhoneNumberWithType(input: string, defaultCountry?: CountryCode): ParseResult {
  return parseWithLibrary(maxLibrary, input, defaultCountry);
}
