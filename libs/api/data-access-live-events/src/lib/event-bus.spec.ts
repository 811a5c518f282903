import { InProcessEventBus, isInAudience, type BusMessage } from './event-bus';

const message: BusMessage = {
  event: { id: 'i-1', type: 'session.resync', at: '2026-01-01T00:00:00.000Z', data: { reason: 'unknown-last-event-id' } },
  audience: { agents: ['alice'] },
};

describe('InProcessEventBus', () => {
  it('delivers a JSON copy to every subscriber after publish was called, not during it', async () => {
    const bus = new InProcessEventBus();
    const seen: BusMessage[] = [];
    bus.subscribe((m) => seen.push(m));
    bus.subscribe((m) => seen.push(m));
    const published = bus.publish(message);
    expect(seen).toEqual([]);
    await published;
    expect(seen).toEqual([message, message]);
    expect(seen[0]).not.toBe(message);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it('stops delivering to an unsubscribed listener, and isolates a failing one', async () => {
    const errors: unknown[] = [];
    const bus = new InProcessEventBus((error) => errors.push(error));
    const seen: string[] = [];
    const stop = bus.subscribe(() => seen.push('first'));
    bus.subscribe(() => { throw new Error('boom'); });
    bus.subscribe(() => seen.push('third'));
    await bus.publish(message);
    stop();
    await bus.publish(message);
    expect(seen).toEqual(['first', 'third', 'third']);
    expect(errors).toHaveLength(2);
    expect(bus.listenerCount).toBe(2);
  });
});

describe('isInAudience', () => {
  it('matches named agents and, when asked, every supervisor', () => {
    expect(isInAudience({ agents: ['alice'] }, 'alice', 'agent')).toBe(true);
    expect(isInAudience({ agents: ['alice'] }, 'bob', 'agent')).toBe(false);
    expect(isInAudience({ agents: ['alice'] }, 'sam', 'supervisor')).toBe(false);
    expect(isInAudience({ supervisors: true }, 'sam', 'supervisor')).toBe(true);
    expect(isInAudience({ supervisors: true }, 'bob', 'agent')).toBe(false);
    expect(isInAudience({}, 'alice', 'agent')).toBe(false);
  });
});
