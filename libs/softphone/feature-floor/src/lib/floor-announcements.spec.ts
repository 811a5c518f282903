import { floorAnnouncements } from './floor-announcements';
import { agent, snapshot } from './floor-fixtures';

describe('floorAnnouncements', () => {
  it('says nothing for the first board, nor for changes that are only there to read', () => {
    expect(floorAnnouncements(null, snapshot())).toEqual([]);
    const before = snapshot();
    expect(floorAnnouncements(before, snapshot({ counts: { ...before.counts, answered: 4 } }))).toEqual([]);
  });

  it('announces an agent who became unreachable, with why, and one reachable again', () => {
    const frozenBob = agent('bob', 'Bob Brown', { reachability: { identity: 'bob', reachable: false, reason: 'tab-frozen', since: '' } });
    const before = snapshot();
    const after = snapshot({ agents: [before.agents[0], frozenBob] });
    expect(floorAnnouncements(before, after)).toEqual(['Bob Brown became unreachable: Tab frozen by the browser.']);
    expect(floorAnnouncements(after, before)).toEqual(['Bob Brown is reachable again.']);
  });

  it('announces each caller who joined the queue, with their position', () => {
    const first = { callSid: 'CA1', from: '+14155550101', target: 'group:support', position: 1, enqueuedAt: '2026-12-06T10:00:00.000Z' };
    const second = { ...first, callSid: 'CA2', position: 2 };
    const one = snapshot({ queue: [first] });
    expect(floorAnnouncements(snapshot(), one)).toEqual(['A caller is waiting in the queue, position 1 of 1.']);
    expect(floorAnnouncements(one, snapshot({ queue: [first, second] }))).toEqual(['A caller is waiting in the queue, position 2 of 2.']);
    expect(floorAnnouncements(one, snapshot())).toEqual([]);
  });
});
