import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { parsePhoneNumber, type CountryCode, type E164 } from '@switchboard/shared-util-phone';

/** Who the agent wants to call: a phone number, or a colleague in the directory. */
export type DialTarget =
  | { readonly kind: 'number'; readonly e164: E164; readonly display: string }
  | { readonly kind: 'agent'; readonly identity: string; readonly displayName: string };

export type DialTargetResult =
  | { readonly ok: true; readonly target: DialTarget }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid' | 'too-long' };

const CLIENT_PREFIX = 'client:';

/**
 * Reads what the agent typed: an agent (identity, name or `client:identity`) first, then a number;
 * a national number is read in `defaultCountry`.
 */
export function resolveDialTarget(text: string, agents: readonly AgentDirectoryEntry[], defaultCountry?: CountryCode): DialTargetResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const wanted = (trimmed.toLowerCase().startsWith(CLIENT_PREFIX) ? trimmed.slice(CLIENT_PREFIX.length) : trimmed).toLowerCase();
  const agent = agents.find((a) => a.identity.toLowerCase() === wanted || a.displayName.toLowerCase() === wanted);
  if (agent) return { ok: true, target: { kind: 'agent', identity: agent.identity, displayName: agent.displayName } };
  const parsed = parsePhoneNumber(trimmed, defaultCountry);
  if (parsed.ok) return { ok: true, target: { kind: 'number', e164: parsed.e164, display: parsed.international } };
  return { ok: false, reason: parsed.reason === 'too-long' ? 'too-long' : parsed.reason === 'empty' ? 'empty' : 'invalid' };
}

/** Agents whose identity or name contains the text (case-insensitive), for the autocomplete. */
export function filterAgents(text: string, agents: readonly AgentDirectoryEntry[]): readonly AgentDirectoryEntry[] {
  const needle = text.trim().toLowerCase();
  if (needle === '' || /^[+0-9(]/.test(needle)) return needle === '' ? agents : [];
  return agents.filter((a) => a.identity.toLowerCase().includes(needle) || a.displayName.toLowerCase().includes(needle));
}

// A number as CRMs and signatures write it: optional `+` or `(`, then digits and separators.
const NUMBER_IN_TEXT = /\+?\(?\d[\d\s().\-\u00a0\u2010-\u2015\u2212]*\d/;
// What follows the number and is not part of it: `ext 12`, `x12`, `extension 12`, `;ext=12`, `#12`.
const EXTENSION = /\s*(?:;\s*ext=|\bext\b\.?|\bextension\b|\bx\b|(?<=\d)\s*x(?=\s*\d)|#).*$/i;
/** Fewer digits than this is not a phone number in the text (e.g. the `2` of `client:bob2`). */
const MIN_PASTED_DIGITS = 6;

/**
 * The number inside pasted text, so that pasting works like typing it: `Phone: +1 415-555-0100 ext 12`
 * → `+1 415-555-0100`, `tel:+14155550100` → `+14155550100`. Text with no number in it (a name, an
 * identity) comes back as it is, on one line.
 */
export function numberInPastedText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const match = NUMBER_IN_TEXT.exec(oneLine.replace(EXTENSION, ''));
  if (!match || match[0].replace(/\D/g, '').length < MIN_PASTED_DIGITS) return oneLine;
  return match[0];
}
