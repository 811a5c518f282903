import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { CountryCode } from './e164';
import { parseWithLibrary, type ParseResult } from './parse-result';

const minLibrary = { isSupportedCountry, parsePhoneNumberFromString };

/**
 * Parses what a person typed into E.164 with the light (`min`) metadata, fit for the browser.
 * Accepts spaces, dashes, dots, parentheses and a leading `+` or `00`; a national number needs
 * `defaultCountry`. Never throws. `type` is only known where the light metadata needs it to tell
 * numbers apart; decisions about number types belong to {@link evaluateNumberPolicy}.
 */
export function parsePhoneNumber(input: string, defaultCountry?: CountryCode): ParseResult {
  return parseWithLibrary(minLibrary, input, defaultCountry);
}
