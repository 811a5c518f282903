import type { AgentAvailabilityService } from './availability.service';
import { WrapUpExpiry } from './wrap-up-expiry';

describe('WrapUpExpiry', () => {
  function setUp(pass: (now?: Date) => Promise<number>) {
    const seen: Array<Date | undefined> = [];
    const service = { endDueWrapUps: (now?: Date) => { seen.push(now); return pass(now); } } as unknown as AgentAvailabilityService;
    return { expiry: new WrapUpExpiry(service), seen };
  }

  it('shares the pass in progress with overlapping ticks, then starts a new one', async () => {
    let finish: (n: number) => void = () => undefined;
    const { expiry, seen } = setUp(() => new Promise<number>((resolve) => { finish = resolve; }));
    const at = new Date('2026-12-06T09:00:00Z');
    const first = expiry.tick(at);
    const second = expiry.tick(new Date());
    expect(second).toBe(first);
    finish(2);
    await first;
    void expiry.tick(at);
    expect(seen).toEqual([at, at]);
    finish(0);
    await expiry.onModuleDestroy();
  });

  it('logs a failed pass and keeps ticking', async () => {
    const { expiry, seen } = setUp(() => Promise.reject(new Error('database down')));
    await expect(expiry.tick()).resolves.toBeUndefined();
    await expect(expiry.tick()).resolves.toBeUndefined();
    expect(seen).toHaveLength(2);
  });
});
