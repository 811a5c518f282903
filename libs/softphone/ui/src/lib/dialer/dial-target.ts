import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { parsePhoneNumber, type E164 } from '@switchboard/shared-util-phone';

/** Who the agent wants to call: a phone number, or a colleague in the directory. */
export type DialTarget =
  | { readonly kind: 'number'; readonly e164: E164; readonly display: string }
  | { readonly kind: 'agent'; readonly identity: string; readonly displayName: string };

export type DialTargetResult =
  | { readonly ok: true; readonly target: DialTarget }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid' | 'too-long' };

const CLIENT_PREFIX = 'client:';

/** Reads what the agent typed: an agent (identity, name or `client:identity`) first, then a number. */
export function resolveDialTarget(text: string, agents: readonly AgentDirectoryEntry[]): DialTargetResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const wanted = (trimmed.toLowerCase().startsWith(CLIENT_PREFIX) ? trimmed.slice(CLIENT_PREFIX.length) : trimmed).toLowerCase();
  const agent = agents.find((a) => a.identity.toLowerCase() === wanted || a.displayName.toLowerCase() === wanted);
  if (agent) return { ok: true, target: { kind: 'agent', identity: agent.identity, displayName: agent.displayName } };
  const parsed = parsePhoneNumber(trimmed);
  if (parsed.ok) return { ok: true, target: { kind: 'number', e164: parsed.e164, display: parsed.international } };
  return { ok: false, reason: parsed.reason === 'too-long' ? 'too-long' : parsed.reason === 'empty' ? 'empty' : 'invalid' };
}

/** Agents whose identity or name contains the text (case-insensitive), for the autocomplete. */
export function filterAgents(text: string, agents: readonly AgentDirectoryEntry[]): readonly AgentDirectoryEntry[] {
  const needle = text.trim().toLowerCase();
  if (needle === '' || /^[+0-9(]/.test(needle)) return needle === '' ? agents : [];
  return agents.filter((a) => a.identity.toLowerCase().includes(needle) || a.displayName.toLowerCase().includes(needle));
}
