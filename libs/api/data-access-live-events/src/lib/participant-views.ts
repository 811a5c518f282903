import type { AgentsRepository, CallsRepository, CurrentParticipant } from '@switchboard/api-data-access-db';
import { monitoringSupervisorOf, type CallParticipant } from '@switchboard/shared-contracts';
import { toParticipantView, type DirectoryEntry } from './call-participant-view';

/** Where the views' names and the customer's number are read from. */
export interface ParticipantViewSources {
  readonly agents: Pick<AgentsRepository, 'findByIdentity'>;
  readonly calls: Pick<CallsRepository, 'findBySid'>;
}

/**
 * The current participants of an anchored call as the in-call view shows them, with the directory entries of
 * the agents among them and the customer's number looked up. One home for the participants route and the
 * `call.participants` events, so both show a participant the same way.
 */
export async function participantViews(
  sources: ParticipantViewSources, current: readonly CurrentParticipant[], anchorCallSid: string | null, now: Date,
): Promise<CallParticipant[]> {
  const [directory, customerNumber] = await Promise.all([directoryOf(sources.agents, current), customerNumberOf(sources.calls, anchorCallSid)]);
  return current.map((p) => toParticipantView(p, anchorCallSid, directory, customerNumber, now));
}

async function directoryOf(agents: ParticipantViewSources['agents'], current: readonly CurrentParticipant[]): Promise<Map<string, DirectoryEntry>> {
  const identities = [...new Set(current.flatMap((p) => {
    const identity = p.agentIdentity ?? monitoringSupervisorOf(p.label);
    return identity === null ? [] : [identity];
  }))];
  const found = await Promise.all(identities.map((identity) => agents.findByIdentity(identity)));
  return new Map(found.flatMap((agent) => (agent ? [[agent.identity, { displayName: agent.displayName, role: agent.role }] as const] : [])));
}

/** The customer's side of the anchored call: who called in, or the number the call went out to. */
async function customerNumberOf(calls: ParticipantViewSources['calls'], anchorCallSid: string | null): Promise<string | null> {
  if (anchorCallSid === null) return null;
  const record = await calls.findBySid(anchorCallSid);
  if (!record) return null;
  return record.direction === 'inbound' ? record.from : record.to;
}
