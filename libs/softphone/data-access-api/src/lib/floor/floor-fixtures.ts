import type { FloorAgent, FloorSnapshot, LiveEvent, LiveEventType } from '@switchboard/shared-contracts';

/** Spec fixtures of the board (not exported from the lib). */
export const SNAPSHOT_AT = '2026-12-06T10:00:00.000Z';

export function floorAgent(identity: string, displayName: string, patch: Partial<FloorAgent> = {}): FloorAgent {
  return {
    identity,
    displayName,
    role: 'agent',
    availability: { identity, state: 'available', reason: null, since: '2026-12-06T09:00:00.000Z' },
    reachability: { identity, reachable: true, reason: null, since: '2026-12-06T09:00:00.000Z' },
    call: null,
    ...patch,
  };
}

export function floorSnapshot(patch: Partial<FloorSnapshot> = {}): FloorSnapshot {
  return {
    agents: [floorAgent('alice', 'Alice Adams'), floorAgent('bob', 'Bob Brown')],
    queue: [],
    longestWaitSeconds: null,
    counts: { answered: 3, missed: 1, abandoned: 0, averageWaitSeconds: 12, averageHandleSeconds: 95 },
    at: SNAPSHOT_AT,
    ...patch,
  };
}

let nextId = 1;
export function liveEvent<T extends LiveEventType>(type: T, data: LiveEvent<T>['data'], at = '2026-12-06T10:00:05.000Z'): LiveEvent<T> {
  return { id: `e-${nextId++}`, type, at, data } as LiveEvent<T>;
}
