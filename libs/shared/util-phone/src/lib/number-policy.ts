import { isSupportedCountry } from 'libphonenumber-js/max';
import { NUMBER_TYPES, type CountryCode, type E164, type NumberType } from './e164';
import { parsePhoneNumberWithType } from './parse-phone-number-with-type';
import { scanPhoneInput } from './phone-input';

/** Which phone numbers outgoing calls may reach. Checked by {@link evaluateNumberPolicy}. */
export interface NumberPolicy {
  /** Destinations by ISO 3166-1 country; NANP numbers count by area code (+1 876 is JM, not US). */
  allowedCountries: readonly CountryCode[];
  /** Number types refused wherever they are. */
  blockedTypes: readonly NumberType[];
  /** E.164 prefixes refused before anything else, e.g. `+1900`. */
  blockedPrefixes: readonly string[];
  /**
   * E.164 prefixes allowed in addition to `allowedCountries`, e.g. `+3531` for Dublin only, or a
   * non-geographic range. They widen the country check only: blocked prefixes and types still apply.
   */
  allowedPrefixes?: readonly string[];
}

/**
 * Types refused by default: each either bills the caller at a premium, shares revenue with the
 * operator of the number (the money behind traffic pumping), or hides who really answers.
 * - PREMIUM_RATE, SHARED_COST, UAN (UK 03/055, "universal access" ranges that are often
 *   revenue-sharing elsewhere), PERSONAL_NUMBER (UK 070: follow-me numbers priced like premium,
 *   a classic fraud range), PAGER (UK 076, likewise), VOICEMAIL (direct-to-voicemail access
 *   numbers: nothing an agent needs to call) and VOIP (non-geographic VoIP ranges such as UK 056
 *   and +883; reliability.md F lists it with the rest).
 * Allowed: FIXED_LINE, MOBILE, FIXED_LINE_OR_MOBILE (all ordinary US/CA numbers) and TOLL_FREE.
 */
export const DEFAULT_BLOCKED_NUMBER_TYPES: readonly NumberType[] = /* @__PURE__ */ Object.freeze([
  'PREMIUM_RATE',
  'SHARED_COST',
  'UAN',
  'PERSONAL_NUMBER',
  'PAGER',
  'VOICEMAIL',
  'VOIP',
]);

/**
 * Prefixes refused even where libphonenumber-js would not type them (or a future metadata update
 * types them differently):
 * - `+1900` US premium rate; `+1976` the old premium exchange, not an assigned area code.
 * - `+449` UK 09 premium rate (also typed PREMIUM_RATE; belt and braces for the headline range).
 * - `+808` international shared cost, `+870` Inmarsat, `+878` universal personal telecoms,
 *   `+881` global mobile satellite (Iridium, Globalstar), `+882`/`+883` international networks,
 *   `+888` OCHA, `+979` international premium rate, `+991` ITU trial services:
 *   satellite and international ranges that cost several dollars a minute and are favourite
 *   international revenue share fraud destinations.
 */
export const DEFAULT_BLOCKED_PREFIXES: readonly string[] = /* @__PURE__ */ Object.freeze([
  '+1900',
  '+1976',
  '+449',
  '+808',
  '+870',
  '+878',
  '+881',
  '+882',
  '+883',
  '+888',
  '+979',
  '+991',
]);

/**
 * US and Canada share +1 and are where the sandbox's numbers live; GB is the other market the
 * product is specified for. Everything else must be opted into, because a country allow-list is
 * the single most effective control against international revenue share fraud.
 */
export const DEFAULT_ALLOWED_COUNTRIES: readonly CountryCode[] = /* @__PURE__ */ Object.freeze(['US', 'CA', 'GB']);

// Frozen because every caller shares them; `@__PURE__` lets bundlers drop them from the light entry.
export const DEFAULT_NUMBER_POLICY: NumberPolicy = /* @__PURE__ */ Object.freeze({
  allowedCountries: DEFAULT_ALLOWED_COUNTRIES,
  blockedTypes: DEFAULT_BLOCKED_NUMBER_TYPES,
  blockedPrefixes: DEFAULT_BLOCKED_PREFIXES,
});

export type NumberPolicyRefusal = 'unparseable' | 'country-not-allowed' | 'blocked-type' | 'blocked-prefix';

export type NumberPolicyDecision =
  | { allowed: true; e164: E164 }
  | {
      allowed: false;
      reason: NumberPolicyRefusal;
      /** For logs and audit rows: what exactly matched. May contain the number's prefix. */
      detail: string;
      /** A short sentence for `<Say>`; never reads out the number. */
      spoken: string;
    };

const SPOKEN: Record<NumberPolicyRefusal, string> = {
  unparseable: 'The number you dialled is not a valid international phone number. Please check it and try again.',
  'country-not-allowed': 'Calls to that country or region are not allowed from this phone.',
  'blocked-type': 'Calls to premium rate and other special rate numbers are not allowed from this phone.',
  'blocked-prefix': 'Calls to that number range are not allowed from this phone.',
};

function refuse(reason: NumberPolicyRefusal, detail: string): NumberPolicyDecision {
  return { allowed: false, reason, detail, spoken: SPOKEN[reason] };
}

function firstMatchingPrefix(e164: string, prefixes: readonly string[] | undefined): string | undefined {
  return prefixes?.find((prefix) => e164.startsWith(prefix));
}

/**
 * Decides whether an outgoing call may dial `input`. The input must be international (leading
 * `+`; punctuation allowed): the server has no country to read a national number or a `00` in,
 * and guessing one is how a relay dials somewhere nobody meant. Order: structural parse →
 * blocked prefix → full validity → blocked type → country. The prefix check runs before full
 * validity so an unassigned range such as +1976 is reported as blocked, not merely invalid.
 * Never throws.
 */
export function evaluateNumberPolicy(input: string, policy: NumberPolicy): NumberPolicyDecision {
  const scanned = scanPhoneInput(input);
  if (!scanned.ok) return refuse('unparseable', scanned.reason);
  if (scanned.internationalPrefix !== '+') {
    return refuse('unparseable', 'not in international form (+ and country code)');
  }

  const blockedPrefix = firstMatchingPrefix(scanned.compact, policy.blockedPrefixes);
  if (blockedPrefix !== undefined) return refuse('blocked-prefix', `prefix ${blockedPrefix} is blocked`);

  const parsed = parsePhoneNumberWithType(scanned.compact);
  if (!parsed.ok) return refuse('unparseable', parsed.reason);

  // A valid number always has a type with the max metadata; an unknown one is refused, not waved through.
  if (parsed.type === undefined) return refuse('blocked-type', 'type unknown');
  if (policy.blockedTypes.includes(parsed.type)) return refuse('blocked-type', `type ${parsed.type} is blocked`);

  const isCountryAllowed = parsed.country !== undefined && policy.allowedCountries.includes(parsed.country);
  if (!isCountryAllowed && firstMatchingPrefix(parsed.e164, policy.allowedPrefixes) === undefined) {
    return refuse('country-not-allowed', `country ${parsed.country ?? 'non-geographic'} is not allowed`);
  }
  return { allowed: true, e164: parsed.e164 };
}

/** Raw comma lists, as they come from environment variables. Unset, blank or only commas means the default. */
export interface NumberPolicyEnv {
  allowedCountries?: string;
  blockedPrefixes?: string;
  blockedTypes?: string;
}

/** `none` sets a list to empty on purpose, which a blank variable cannot (blank means default). */
const EXPLICITLY_EMPTY = 'none';
const PREFIX_PATTERN = /^\+[1-9]\d{0,14}$/;

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function parseList<T>(
  name: keyof NumberPolicyEnv,
  raw: string | undefined,
  fallback: readonly T[],
  parseEntry: (entry: string) => T | undefined,
  expected: string,
): readonly T[] {
  if (raw === undefined) return fallback;
  const entries = splitList(raw);
  if (entries.length === 0) return fallback;
  if (entries.length === 1 && entries[0].toLowerCase() === EXPLICITLY_EMPTY) return [];
  const values: T[] = [];
  for (const entry of entries) {
    const value = parseEntry(entry);
    if (value === undefined) throw new Error(`Number policy ${name}: "${entry}" is not ${expected}`);
    if (!values.includes(value)) values.push(value);
  }
  return values;
}

/**
 * Builds a policy from comma lists such as `allowedCountries: "US,CA,GB,IE"`,
 * `blockedPrefixes: "+1900,+44 9"`, `blockedTypes: "premium_rate,shared-cost"`. Throws an Error
 * naming the first bad entry. Unset or blank lists keep the default; `none` empties a list.
 */
export function parseNumberPolicy(env: NumberPolicyEnv): NumberPolicy {
  const allowedCountries = parseList(
    'allowedCountries',
    env.allowedCountries,
    DEFAULT_ALLOWED_COUNTRIES,
    (entry) => {
      const code = entry.toUpperCase();
      return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code) ? (code as CountryCode) : undefined;
    },
    'a supported ISO 3166-1 alpha-2 country code (e.g. US)',
  );
  const blockedPrefixes = parseList(
    'blockedPrefixes',
    env.blockedPrefixes,
    DEFAULT_BLOCKED_PREFIXES,
    (entry) => {
      const prefix = entry.replace(/[\s\-.()]/g, '');
      return PREFIX_PATTERN.test(prefix) ? prefix : undefined;
    },
    'an E.164 prefix (+ then 1 to 15 digits, not starting with 0, e.g. +1900)',
  );
  const blockedTypes = parseList(
    'blockedTypes',
    env.blockedTypes,
    DEFAULT_BLOCKED_NUMBER_TYPES,
    (entry) => {
      const type = entry.toUpperCase().replace(/-/g, '_');
      return NUMBER_TYPES.find((known) => known === type);
    },
    `a number type (one of ${NUMBER_TYPES.join(', ')})`,
  );
  return { allowedCountries, blockedPrefixes, blockedTypes };
}
