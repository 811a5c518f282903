import type { FloorAgent, FloorCall, FloorSnapshot } from '@switchboard/shared-contracts';

/** Spec fixtures (not exported from the lib). Times are fixed; specs pass `now` explicitly. */
export const T0 = Date.parse('2026-12-06T10:00:00.000Z');

export function agent(identity: string, displayName: string, patch: Partial<FloorAgent> = {}): FloorAgent {
  return {
    identity,
    displayName,
    role: 'agent',
    availability: { identity, state: 'available', reason: null, since: '2026-12-06T09:58:55.000Z' },
    reachability: { identity, reachable: true, reason: null, since: '2026-12-06T09:00:00.000Z' },
    call: null,
    ...patch,
  };
}

export const BOBS_CALL: FloorCall = {
  customerCallSid: 'CA-customer',
  agentCallSid: 'CA-bob',
  direction: 'inbound',
  party: '+14155550188',
  since: '2026-12-06T09:59:30.000Z',
  quality: { mos: 4.3, warnings: [] },
};

export function snapshot(patch: Partial<FloorSnapshot> = {}): FloorSnapshot {
  return {
    agents: [agent('alice', 'Alice Adams'), agent('bob', 'Bob Brown', { call: BOBS_CALL })],
    queue: [],
    longestWaitSeconds: null,
    counts: { answered: 3, missed: 1, abandoned: 0, averageWaitSeconds: 12, averageHandleSeconds: 95 },
    at: '2026-12-06T10:00:00.000Z',
    ...patch,
  };
}
