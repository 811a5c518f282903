import type { FloorSnapshot, LiveEvent } from '@switchboard/shared-contracts';

/** The live events that change the board; every other type leaves it as it is. */
export type FloorBoardEvent = LiveEvent<'agent.availability' | 'agent.reachability' | 'floor.queue' | 'floor.call' | 'floor.counts'>;

export const FLOOR_BOARD_EVENT_TYPES: readonly FloorBoardEvent['type'][] = [
  'agent.availability',
  'agent.reachability',
  'floor.queue',
  'floor.call',
  'floor.counts',
];

export function isFloorBoardEvent(event: LiveEvent): event is FloorBoardEvent {
  return (FLOOR_BOARD_EVENT_TYPES as readonly string[]).includes(event.type);
}

/**
 * The board after one live event. Pure, so the store and its spec share it. An event older than the
 * snapshot (it was already counted in it: the stream opened before the GET answered) is dropped; an
 * agent the snapshot does not list (one enabled after it was taken) is ignored until the next refetch.
 */
export function applyFloorEvent(board: FloorSnapshot, event: FloorBoardEvent): FloorSnapshot {
  if (Date.parse(event.at) < Date.parse(board.at)) return board;
  switch (event.type) {
    case 'agent.availability': {
      const { availability } = event.data;
      return patchAgent(board, availability.identity, () => ({ availability }));
    }
    case 'agent.reachability':
      return patchAgent(board, event.data.identity, () => ({ reachability: event.data }));
    case 'floor.call':
      return patchAgent(board, event.data.identity, () => ({ call: event.data.call }));
    case 'floor.queue':
      return { ...board, queue: event.data.queue, longestWaitSeconds: event.data.longestWaitSeconds };
    case 'floor.counts':
      return { ...board, counts: event.data };
  }
}

function patchAgent(board: FloorSnapshot, identity: string, patch: () => Partial<FloorSnapshot['agents'][number]>): FloorSnapshot {
  const index = board.agents.findIndex((agent) => agent.identity === identity);
  if (index < 0) return board;
  const agents = [...board.agents];
  agents[index] = { ...agents[index], ...patch() };
  return { ...board, agents };
}
