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
});
