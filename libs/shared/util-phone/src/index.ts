// Light: min metadata only, safe for the browser's initial bundle.
export { isE164, NUMBER_TYPES, type CountryCode, type E164, type NumberType } from './lib/e164';
export { MAX_INPUT_LENGTH } from './lib/phone-input';
export type { ParseFailureReason, ParsedPhoneNumber, ParseResult } from './lib/parse-result';
export { parsePhoneNumber } from './lib/parse-phone-number';
export { formatAsYouType } from './lib/format-as-you-type';

// Type-aware: max metadata. Bundlers drop these files when only the light functions are imported.
export { parsePhoneNumberWithType } from './lib/parse-phone-number-with-type';
export {
  DEFAULT_ALLOWED_COUNTRIES,
  DEFAULT_BLOCKED_NUMBER_TYPES,
  DEFAULT_BLOCKED_PREFIXES,
  DEFAULT_NUMBER_POLICY,
  evaluateNumberPolicy,
  parseNumberPolicy,
  type NumberPolicy,
  type NumberPolicyDecision,
  type NumberPolicyEnv,
  type NumberPolicyRefusal,
} from './lib/number-policy';
