import type { CallHandoff } from '@switchboard/shared-contracts';
import type { CountryCode } from '@switchboard/shared-util-phone';
import { describeParty } from '../party/party';

/** Why a transfer came back to the agent, in words. */
const MISSED: Readonly<Record<string, string>> = {
  'no-answer': 'no answer',
  declined: 'declined',
  busy: 'busy',
  failed: 'could not be reached',
};

/** How a consult ended, in words. */
const CONSULT_OUTCOME: Readonly<Record<string, string>> = {
  completed: 'completed, handed over',
  transferred: 'completed, handed over',
  cancelled: 'cancelled',
  'three-way': 'three-way',
  // Answered and not yet completed, cancelled or joined: the two agents are talking.
  answered: 'in progress',
  ringing: 'ringing',
  voicemail: 'went to voicemail',
  returned: 'came back',
};

/** What followed an agent's drop-out, in words. */
const RESCUE_OUTCOME: Readonly<Record<Extract<CallHandoff, { kind: 'rescue' }>['outcome'], string>> = {
  rejoined: 'rejoined',
  voicemail: 'the caller went to voicemail',
  open: 'waiting for them to rejoin',
  ended: 'the call ended before they rejoined',
};

/** An outcome the words above do not know yet, readable rather than hidden. */
const plain = (outcome: string) => outcome.replace(/-/g, ' ');

/**
 * One handoff as a sentence ("Transferred to Alice Smith by Bob Brown", "Bob Brown was disconnected;
 * rejoined"): the words carry the whole meaning, so no colour or icon is needed to read it. A target
 * that is a phone number is written for reading, as the call's own party is.
 */
export function describeHandoff(handoff: CallHandoff, homeCountry?: CountryCode): string {
  if (handoff.kind === 'rescue') return `${handoff.byDisplay} was disconnected; ${RESCUE_OUTCOME[handoff.outcome] ?? plain(handoff.outcome)}`;
  const by = handoff.byDisplay;
  const target = describeParty(handoff.targetDisplay, [], homeCountry).name;
  if (handoff.kind === 'consult') return `Consult with ${target} by ${by}: ${CONSULT_OUTCOME[handoff.outcome] ?? MISSED[handoff.outcome] ?? plain(handoff.outcome)}`;
  switch (handoff.outcome) {
    case 'transferred': return `Transferred to ${target} by ${by}`;
    case 'ringing': return `${by} is transferring to ${target}`;
    case 'cancelled': return `${by} cancelled a transfer to ${target}`;
    case 'voicemail': return `${by} transferred to ${target}; nobody answered, the caller went to voicemail`;
    case 'returned': return `${by} tried to transfer to ${target}; the call came back`;
    default: {
      const missed = MISSED[handoff.outcome];
      return missed
        ? `${by} tried to transfer to ${target}: ${missed}; the call came back`
        : `${by} transferred to ${target}: ${plain(handoff.outcome)}`;
    }
  }
}
