import { SlidingWindowLimiter } from './sliding-window-limiter';

describe('SlidingWindowLimiter', () => {
  it('allows max requests per window per key, then answers the seconds to wait', () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter(2, 10_000, () => now);
    expect(limiter.take('a')).toBeNull();
    now += 1_000;
    expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).toBe(9);
    expect(limiter.take('b')).toBeNull();
    now += 9_001; // the first request left the window
    expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).toBe(1);
  });

  it('answers Retry-After as the whole seconds until the oldest counted request leaves the window', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(3, 10_000, () => now);
    for (const at of [0, 2_000, 5_000]) {
      now = at;
      expect(limiter.take('a')).toBeNull();
    }
    now = 6_000;
    expect(limiter.take('a')).toBe(4); // 0 + 10 000 - 6 000 = 4 000 ms
    now = 6_500;
    expect(limiter.take('a')).toBe(4); // 3 500 ms rounds up: retrying after 3 s would be refused again
    now = 9_999;
    expect(limiter.take('a')).toBe(1); // never 0
    now = 10_000; // the request at 0 is exactly one window old: out
    expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).toBe(2); // oldest now 2 000: 12 000 - 10 000
  });

  it('does not count refused requests', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(1, 1_000, () => now);
    expect(limiter.take('a')).toBeNull();
    for (now = 1; now < 1_000; now += 7) expect(limiter.take('a')).toBe(1);
    now = 1_000;
    expect(limiter.take('a')).toBeNull();
  });

  // The second case keeps ~2 000 timestamps per window, so the queue's compaction runs many times.
  it.each([
    { max: 50, windowMs: 2_000, maxStepMs: 60, steps: 20_000 },
    { max: 1_500, windowMs: 1_000, maxStepMs: 2, steps: 20_000 },
  ])('gives the same answers as filtering every timestamp in the window (max $max per $windowMs ms)', ({ max, windowMs, maxStepMs, steps }) => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(max, windowMs, () => now);
    const reference = new Map<string, number[]>();
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let refused = 0;
    for (let i = 0; i < steps; i++) {
      now += Math.floor(random() * maxStepMs); // bursts past the limit and quiet spells
      const key = random() < 0.8 ? 'busy' : `agent-${Math.floor(random() * 5)}`;
      const inWindow = (reference.get(key) ?? []).filter((t) => t > now - windowMs);
      const expected = inWindow.length >= max ? Math.max(1, Math.ceil((inWindow[0] + windowMs - now) / 1000)) : null;
      if (expected === null) inWindow.push(now);
      else refused++;
      reference.set(key, inWindow);
      if (limiter.take(key) !== expected) throw new Error(`step ${i} at ${now} ms, key ${key}: expected ${expected}`);
    }
    expect(refused).toBeGreaterThan(steps / 20); // the run did exercise the limit
  });

  it('forgets idle keys once there are many, and still limits the ones that are not idle', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(1, 1_000, () => now);
    expect(limiter.take('kept')).toBeNull();
    for (let i = 0; i < 10_000; i++) limiter.take(`idle-${i}`);
    now = 999;
    expect(limiter.take('new')).toBeNull(); // past 10 000 keys: sweeps, but nothing is a window old yet
    expect(limiter.take('kept')).toBe(1);
    now = 1_500;
    for (let i = 0; i < 10_000; i++) expect(limiter.take(`again-${i}`)).toBeNull();
    expect(limiter.take('new')).toBe(1); // taken at 999, still inside its window after the sweeps
  });
});
