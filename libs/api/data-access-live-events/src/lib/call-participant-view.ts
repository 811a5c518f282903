import type { CurrentParticipant } from '@switchboard/api-data-access-db';
import { monitoringSupervisorOf, type AgentRole, type CallParticipant } from '@switchboard/shared-contracts';

/** What the view needs to know of a colleague in the call. */
export interface DirectoryEntry {
  readonly displayName: string;
  readonly role: AgentRole;
}

/** The customer's number as the in-call view may show it: all but the last four digits masked. */
export function maskNumber(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  const last = digits.slice(-4);
  // North American numbers in the contract's own shape (`+1 ••• ••• 0100`); others keep their first digit only.
  if (/^1\d{10}$/.test(digits)) return `+1 ••• ••• ${last}`;
  return `+${digits.slice(0, 1)} ••• ${last}`;
}

/**
 * One current participant as the agent's in-call view shows it. The anchored call is the customer; a
 * softphone leg is the agent (or supervisor) the directory names; anyone else (a number dialled in by a
 * transfer) is shown by its label, as an outside party. A supervisor monitoring the call (`monitor:<identity>`)
 * is shown by name as a supervisor: the agent is told who is listening.
 */
export function toParticipantView(
  participant: CurrentParticipant,
  anchorCallSid: string | null,
  directory: ReadonlyMap<string, DirectoryEntry>,
  customerNumber: string | null,
  now: Date,
): CallParticipant {
  const common = { participantId: participant.callSid, held: participant.hold, muted: participant.muted, joinedAt: (participant.joinedAt ?? now).toISOString() };
  if (participant.callSid !== anchorCallSid && participant.agentIdentity !== null) {
    const entry = directory.get(participant.agentIdentity);
    return {
      ...common, displayName: entry?.displayName ?? participant.agentIdentity, identity: participant.agentIdentity, maskedNumber: null,
      role: entry?.role === 'supervisor' ? 'supervisor' : 'agent',
    };
  }
  const supervisor = monitoringSupervisorOf(participant.label);
  if (supervisor !== null) {
    return { ...common, displayName: directory.get(supervisor)?.displayName ?? supervisor, identity: supervisor, maskedNumber: null, role: 'supervisor' };
  }
  const number = participant.callSid === anchorCallSid ? customerNumber : null;
  const masked = number !== null && /^\+\d{6,15}$/.test(number) ? maskNumber(number) : null;
  return { ...common, displayName: masked ?? (participant.callSid === anchorCallSid ? 'Caller' : 'Outside caller'), identity: null, maskedNumber: masked, role: 'customer' };
}
