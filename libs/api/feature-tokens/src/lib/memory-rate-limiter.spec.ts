import { MemoryRateLimiter } from './memory-rate-limiter';

describe('MemoryRateLimiter', () => {
  const limit = { max: 3, windowSeconds: 60 };
  let now: number;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('lets exactly max through in a window, then answers the whole seconds until the oldest take leaves it', async () => {
    const limiter = new MemoryRateLimiter({ now: clock });
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      waits.push(await limiter.take('k', limit));
      now += 10_000;
    }
    // Takes at 0 s, 10 s, 20 s; now 30 s: the one at 0 s leaves the window at 60 s.
    waits.push(await limiter.take('k', limit));
    expect(waits).toEqual([0, 0, 0, 30]);
    now += 29_500;
    expect(await limiter.take('k', limit)).toBe(1);
    now += 499;
    expect(await limiter.take('k', limit)).toBe(1);
    // Exactly one window after the first take: it is out, one more passes.
    now += 1;
    expect(await limiter.take('k', limit)).toBe(0);
    expect(await limiter.take('k', limit)).toBe(10);
  });

  it('does not count a refused take', async () => {
    const limiter = new MemoryRateLimiter({ now: clock });
    for (let i = 0; i < 3; i++) expect(await limiter.take('k', limit)).toBe(0);
    for (let i = 0; i < 50; i++) expect(await limiter.take('k', limit)).toBeGreaterThan(0);
    now += 60_000;
    // Had the refusals counted, the window would still be full.
    for (let i = 0; i < 3; i++) expect(await limiter.take('k', limit)).toBe(0);
    expect(await limiter.take('k', limit)).toBe(60);
  });

  it('keeps each key to its own limit', async () => {
    const limiter = new MemoryRateLimiter({ now: clock });
    for (let i = 0; i < 3; i++) await limiter.take('a', limit);
    expect(await limiter.take('a', limit)).toBeGreaterThan(0);
    expect(await limiter.take('b', limit)).toBe(0);
  });

  it('rounds a wait below a second up to 1 and takes a lowered max into account', async () => {
    const limiter = new MemoryRateLimiter({ now: clock });
    for (let i = 0; i < 3; i++) await limiter.take('k', limit);
    now += 59_999;
    expect(await limiter.take('k', limit)).toBe(1);
    // The same key with max 1: the newest of the three blocks it.
    expect(await limiter.take('k', { max: 1, windowSeconds: 60 })).toBe(1);
  });

  it('drops the keys whose takes have all left their window, once a window has passed', async () => {
    const limiter = new MemoryRateLimiter({ now: clock });
    for (let i = 0; i < 100; i++) await limiter.take(`idle-${i}`, limit);
    expect(limiter.size).toBe(100);
    now += 30_000;
    await limiter.take('busy', limit);
    expect(limiter.size).toBe(101);
    now += 30_000;
    // 60 s since the last sweep: the idle keys are out of their window, "busy" (30 s old) is not.
    await limiter.take('new', limit);
    expect(limiter.size).toBe(2);
    expect(await limiter.take('idle-0', limit)).toBe(0);
  });

  it('sweeps sooner when the key count reaches its threshold, which then grows with the live keys', async () => {
    const limiter = new MemoryRateLimiter({ now: clock, sweepAtKeys: 10 });
    for (let i = 0; i < 10; i++) await limiter.take(`old-${i}`, { max: 1, windowSeconds: 1 });
    now += 1_000;
    // All ten are a window old; the next take sees 10 keys and sweeps them before adding its own.
    await limiter.take('fresh', { max: 1, windowSeconds: 1 });
    expect(limiter.size).toBe(1);
    // Live keys are never dropped, however many.
    for (let i = 0; i < 25; i++) await limiter.take(`live-${i}`, limit);
    expect(limiter.size).toBe(26);
    for (let i = 0; i < 25; i++) expect(await limiter.take(`live-${i}`, { max: 1, windowSeconds: 60 })).toBeGreaterThan(0);
  });

  it('refuses a limit that cannot be counted', async () => {
    const limiter = new MemoryRateLimiter({ now: clock });
    await expect(limiter.take('k', { max: 0, windowSeconds: 60 })).rejects.toThrow('max ≥ 1 and a window > 0 s');
  });
});

describe('MemoryRateLimiter with a high limit', () => {
  it('stays exact over many windows of a key holding thousands of takes', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ now: () => now });
    const limit = { max: 1000, windowSeconds: 1 };
    for (let second = 0; second < 5; second++) {
      let passed = 0;
      // 1500 takes spread over the second: exactly 1000 pass, whatever the dead takes before them.
      for (let i = 0; i < 1500; i++) {
        if ((await limiter.take('k', limit)) === 0) passed++;
        now += 1000 / 1500;
      }
      expect(passed).toBe(1000);
    }
  });
});
