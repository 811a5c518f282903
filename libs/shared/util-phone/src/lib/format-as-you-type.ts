import { AsYouType } from 'libphonenumber-js/min';
import type { CountryCode } from './e164';
import { scanPhoneInput } from './phone-input';

/**
 * Formats a dialer field as the agent types, e.g. `+1415555` → `+1 415 555`. Input that is not a
 * phone number in progress (an agent name, a `client:` identity, letters, over 32 characters) is
 * returned unchanged, so the field can hold either. A leading `00` is shown as `+`. Never throws.
 */
export function formatAsYouType(input: string, defaultCountry?: CountryCode): string {
  const scanned = scanPhoneInput(input);
  if (!scanned.ok) return input;
  try {
    const formatter = new AsYouType(scanned.internationalPrefix !== undefined ? undefined : defaultCountry);
    return formatter.input(scanned.compact);
  } catch {
    return input;
  }
}
