import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { parsePhoneNumber, type CountryCode } from '@switchboard/shared-util-phone';

/** The other party of a call as an agent reads it: a name first, the raw identity beside it. */
export interface PartyView {
  /** A colleague's display name, a number formatted for reading, or the address as it came. */
  readonly name: string;
  /** The identity beside a directory name (`bob`); null when the name says it all. */
  readonly detail: string | null;
}

const CLIENT_PREFIX = 'client:';

/**
 * `client:bob` → `Bob Brown (bob)` from the directory; `+14155550100` → `(415) 555-0100` at home
 * (`homeCountry` US) or `+1 415 555 0100` from elsewhere; anything else as it came.
 */
export function describeParty(address: string, agents: readonly AgentDirectoryEntry[], homeCountry?: CountryCode): PartyView {
  if (address.startsWith(CLIENT_PREFIX)) {
    const identity = address.slice(CLIENT_PREFIX.length);
    const agent = agents.find((a) => a.identity === identity);
    return agent ? { name: agent.displayName, detail: identity } : { name: identity, detail: null };
  }
  const parsed = parsePhoneNumber(address);
  if (!parsed.ok) return { name: address, detail: null };
  return { name: homeCountry !== undefined && parsed.country === homeCountry ? parsed.national : parsed.international, detail: null };
}

/** One line: `Bob Brown (bob)`, for announcements and labels. */
export function partyText(party: PartyView): string {
  return party.detail ? `${party.name} (${party.detail})` : party.name;
}
