import type { CountryCode, PhoneNumberType } from 'libphonenumber-js';

export type { CountryCode };

/** A number in E.164 form (`+` and 2–15 digits), produced only by this library's parsers or {@link isE164}. */
export type E164 = string & { readonly __brand: 'E164' };

/** What kind of line a number is, as libphonenumber-js's full (`max`) metadata classifies it. */
export type NumberType = PhoneNumberType;

/** Every {@link NumberType}, for validating configuration. */
export const NUMBER_TYPES: readonly NumberType[] = /* @__PURE__ */ Object.freeze([
  'FIXED_LINE',
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
]);

/** E.164's shape: a country code that does not start with 0, at most 15 digits in all. */
const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

/** True when `value` already has E.164's shape. Says nothing about whether the number exists. */
export function isE164(value: unknown): value is E164 {
  return typeof value === 'string' && E164_PATTERN.test(value);
}
