import type { BusMessage } from '@switchboard/api-data-access-live-events';
import { ReplayBuffer } from './replay-buffer';

const message = (id: string): BusMessage => ({ event: { id, type: 'session.hello', at: '2026-01-01T00:00:00.000Z', data: {} } as never, audience: { agents: ['alice'] } });
const ids = (messages: BusMessage[] | null) => messages?.map((m) => m.event.id) ?? null;

describe('ReplayBuffer', () => {
  it('replays what came after a known id, in arrival order', () => {
    const buffer = new ReplayBuffer(10, 'i-start');
    ['a', 'b', 'c'].forEach((id) => buffer.push(message(id)));
    expect(ids(buffer.since('a'))).toEqual(['b', 'c']);
    expect(ids(buffer.since('c'))).toEqual([]);
    expect(buffer.head()).toBe('c');
  });

  it('replays everything from the start position until something is evicted', () => {
    const buffer = new ReplayBuffer(2, 'i-start');
    expect(buffer.head()).toBe('i-start');
    expect(ids(buffer.since('i-start'))).toEqual([]);
    buffer.push(message('a'));
    buffer.push(message('b'));
    expect(ids(buffer.since('i-start'))).toEqual(['a', 'b']);
    buffer.push(message('c'));
    expect(buffer.since('i-start')).toBeNull();
  });

  it('answers null for an evicted or unknown id, and keeps at most its capacity', () => {
    const buffer = new ReplayBuffer(3, 'i-start');
    ['a', 'b', 'c', 'd', 'e'].forEach((id) => buffer.push(message(id)));
    expect(buffer.size).toBe(3);
    expect(buffer.since('a')).toBeNull();
    expect(buffer.since('b')).toBeNull();
    expect(ids(buffer.since('c'))).toEqual(['d', 'e']);
    expect(buffer.since('other-instance-7')).toBeNull();
  });

  it('keeps a redelivered event once', () => {
    const buffer = new ReplayBuffer(3, 'i-start');
    ['a', 'b', 'a'].forEach((id) => buffer.push(message(id)));
    expect(ids(buffer.since('i-start'))).toEqual(['a', 'b']);
  });

  it('refuses a capacity that cannot hold anything', () => {
    expect(() => new ReplayBuffer(0, 's')).toThrow(/capacity/);
  });
});
