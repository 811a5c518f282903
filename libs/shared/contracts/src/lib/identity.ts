/**
 * An agent identity: the Voice SDK's client name (`client:<identity>`). Letters, digits and
 * underscores keep it safe in TwiML, URLs, voicemail targets and logs; 121 characters is the SDK's
 * limit. Sign-in, the supervisor's ring request, the admin CLI, the webhooks and the agents table's
 * CHECK constraint all enforce this one rule.
 */
export const IDENTITY_PATTERN = /^[A-Za-z0-9_]{1,121}$/;

/** The rule in words, for validation messages. */
export const IDENTITY_RULE = '1–121 letters, digits or underscores';

const CLIENT_ADDRESS = new RegExp(`^client:(${IDENTITY_PATTERN.source.slice(1, -1)})$`);

export function isIdentity(value: string): boolean {
  return IDENTITY_PATTERN.test(value);
}

/** Twilio's address of an agent's softphone. */
export function clientAddress(identity: string): string {
  return `client:${identity}`;
}

/** The identity in a `client:<identity>` address, or undefined for anything else (a number, a bad identity). */
export function clientIdentity(value: string | undefined): string | undefined {
  const match = value === undefined ? null : CLIENT_ADDRESS.exec(value);
  return match ? match[1] : undefined;
}
