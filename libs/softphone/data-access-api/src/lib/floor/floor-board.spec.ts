import { applyFloorEvent, isFloorBoardEvent } from './floor-board';
import { floorAgent, floorSnapshot, liveEvent } from './floor-fixtures';

const away = { identity: 'alice', state: 'away' as const, reason: 'break', since: '2026-12-06T10:00:04.000Z' };

describe('applyFloorEvent', () => {
  it("replaces an agent's availability, leaving the others as they were", () => {
    const board = floorSnapshot();
    const next = applyFloorEvent(board, liveEvent('agent.availability', { availability: away, previous: 'available', by: { kind: 'self' } }));
    expect(next.agents[0].availability).toEqual(away);
    expect(next.agents[1]).toBe(board.agents[1]);
  });

  it("replaces an agent's reachability and current call", () => {
    const unreachable = { identity: 'bob', reachable: false, reason: 'tab-frozen' as const, since: '2026-12-06T10:00:04.000Z' };
    const call = {
      customerCallSid: 'CA1', agentCallSid: 'CA2', direction: 'inbound' as const, party: '+14155550188',
      since: '2026-12-06T10:00:03.000Z', quality: { mos: 4.3, warnings: [] },
    };
    let board = applyFloorEvent(floorSnapshot(), liveEvent('agent.reachability', unreachable));
    board = applyFloorEvent(board, liveEvent('floor.call', { identity: 'bob', call }));
    expect(board.agents[1]).toEqual(floorAgent('bob', 'Bob Brown', { reachability: unreachable, call }));
    expect(applyFloorEvent(board, liveEvent('floor.call', { identity: 'bob', call: null })).agents[1].call).toBeNull();
  });

  it('replaces the queue with its longest wait, and the counts', () => {
    const queued = { callSid: 'CA9', from: '+14155550199', target: 'group:support', position: 1, enqueuedAt: '2026-12-06T10:00:01.000Z' };
    let board = applyFloorEvent(floorSnapshot(), liveEvent('floor.queue', { queue: [queued], longestWaitSeconds: 4 }));
    const counts = { answered: 4, missed: 1, abandoned: 1, averageWaitSeconds: 10, averageHandleSeconds: 90 };
    board = applyFloorEvent(board, liveEvent('floor.counts', counts));
    expect(board).toMatchObject({ queue: [queued], longestWaitSeconds: 4, counts });
  });

  it('drops an event older than the snapshot (the snapshot already has it) and one about an agent it does not list', () => {
    const board = floorSnapshot();
    const old = liveEvent('agent.availability', { availability: away, previous: 'available', by: { kind: 'self' } }, '2026-12-06T09:59:59.000Z');
    expect(applyFloorEvent(board, old)).toBe(board);
    const stranger = liveEvent('agent.reachability', { identity: 'zed', reachable: false, reason: 'signed-out', since: '2026-12-06T10:00:04.000Z' });
    expect(applyFloorEvent(board, stranger)).toBe(board);
  });

  it('tells board events from the others on the stream', () => {
    expect(isFloorBoardEvent(liveEvent('floor.counts', floorSnapshot().counts))).toBe(true);
    expect(isFloorBoardEvent(liveEvent('session.resync', { reason: 'unknown-last-event-id' }))).toBe(false);
  });
});
